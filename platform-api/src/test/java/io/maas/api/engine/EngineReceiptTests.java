package io.maas.api.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.api.openai.Usage;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class EngineReceiptTests {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void theReceiptIsWrittenAndReadInTheEnginesWireNames() {
        String text = json.writeValueAsString(new EngineReceipt("r-1", EngineReceipt.State.CANCELLED, Usage.of(4, 6, 3, 0)));

        assertThat(text).startsWith("{\"id\":\"r-1\",\"state\":\"cancelled\",\"usage\":{\"prompt_tokens\":10,");
        EngineReceipt read = json.readValue("{\"id\":\"r-2\",\"state\":\"running\",\"usage\":{\"prompt_tokens\":5,"
                + "\"completion_tokens\":2,\"total_tokens\":7},\"newer\":1}", EngineReceipt.class);
        assertThat(read.state()).isEqualTo(EngineReceipt.State.RUNNING);
        assertThat(read.state().settled()).isFalse();
        assertThat(read.usage().completionTokens()).isEqualTo(2);
        assertThat(EngineReceipt.path("r-2")).isEqualTo("/engine/requests/r-2");
    }
}
