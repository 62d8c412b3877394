package io.maas.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A request that fails validation names each field and what was wrong, so a form can show it beside the field. */
class FieldErrorsIT extends ServiceTest {

    @Test
    void validationProblemNamesTheField() {
        Api.Response response = admin().post("/api/v1/tenants", "{\"name\":\"Not Valid!\"}");
        assertThat(response.status()).isEqualTo(400);
        JsonNode error = response.json().get("errors").get(0);
        assertThat(error.get("field").asString()).isEqualTo("name");
        assertThat(error.get("message").asString()).startsWith("must be 1-63 lower-case letters");
        assertThat(response.json().get("detail").asString()).contains("name must be 1-63");
    }
}
