package io.maas.api.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class EngineStatusTests {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void roundTripsWithCamelCaseNamesAndIgnoresUnknownMembers() {
        EngineStatus status = new EngineStatus("m", "simulated", "ready", 2, 3, 0.25, 8192, 100, 40,
                new EngineStatus.Latency(5, 0.05, 0.04, 0.09), EngineStatus.Latency.NONE);

        String text = json.writeValueAsString(status);
        assertThat(json.readTree(text).propertyNames()).containsExactly("model", "runtime", "state", "running",
                "waiting", "kvCacheUsage", "kvCacheTokens", "prefixCacheQueries", "prefixCacheHits", "timeToFirstToken",
                "timePerOutputToken");
        assertThat(json.readTree(text).at("/timeToFirstToken/p99Seconds").asDouble()).isEqualTo(0.09);

        String newer = text.replace("{\"model\"", "{\"gpuTemperature\":70,\"model\"");
        assertThat(json.readValue(newer, EngineStatus.class)).isEqualTo(status);
    }
}
