package io.maas.gateway.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.api.openai.ApiError;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Every gateway error in Anthropic's shape, with the status and type of Anthropic's error reference. */
class AnthropicErrorsTests {

    @Test
    void eachErrorGetsAnthropicsTypeForItsStatus() {
        assertThat(AnthropicErrors.type(ApiError.INVALID_REQUEST)).isEqualTo("invalid_request_error");
        assertThat(AnthropicErrors.type(ApiError.CONTEXT_LENGTH_EXCEEDED)).isEqualTo("invalid_request_error");
        assertThat(AnthropicErrors.type(ApiError.INVALID_API_KEY)).isEqualTo("authentication_error");
        assertThat(AnthropicErrors.type(ApiError.INSUFFICIENT_BALANCE)).isEqualTo("billing_error");
        assertThat(AnthropicErrors.type(ApiError.MODEL_NOT_FOUND)).isEqualTo("not_found_error");
        assertThat(AnthropicErrors.type(ApiError.METHOD_NOT_ALLOWED)).isEqualTo("invalid_request_error");
        assertThat(AnthropicErrors.type(ApiError.REQUEST_TOO_LARGE)).isEqualTo("request_too_large");
        assertThat(AnthropicErrors.type(ApiError.RATE_LIMIT_EXCEEDED)).isEqualTo("rate_limit_error");
        assertThat(AnthropicErrors.type(ApiError.INSUFFICIENT_QUOTA)).isEqualTo("rate_limit_error");
        assertThat(AnthropicErrors.type(ApiError.INTERNAL)).isEqualTo("api_error");
        assertThat(AnthropicErrors.type(ApiError.ENGINE_ERROR)).isEqualTo("api_error");
        assertThat(AnthropicErrors.type(ApiError.LIMITS_UNAVAILABLE)).isEqualTo("api_error");
        assertThat(AnthropicErrors.type(ApiError.OVERLOADED)).isEqualTo("overloaded_error");
        assertThat(AnthropicErrors.status(ApiError.OVERLOADED)).isEqualTo(529);
        assertThat(AnthropicErrors.status(ApiError.ENGINE_UNAVAILABLE)).isEqualTo(529);
        assertThat(AnthropicErrors.status(ApiError.INVALID_API_KEY)).isEqualTo(401);
        for (ApiError error : ApiError.values()) {
            assertThat(AnthropicErrors.type(error)).as(error.name()).matches(
                    "invalid_request_error|authentication_error|billing_error|permission_error|not_found_error"
                            + "|request_too_large|rate_limit_error|api_error|overloaded_error");
        }
    }

    @Test
    void theBodyIsAnthropicsWithTheMemberAtFaultLeadingTheMessage() {
        var json = JsonMapper.builder().build();
        assertThat(json.writeValueAsString(AnthropicErrors.response(ApiError.INVALID_REQUEST, "Field required", "max_tokens", "abc")))
                .isEqualTo("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"max_tokens: Field required\"},"
                        + "\"request_id\":\"abc\"}");
        assertThat(json.writeValueAsString(AnthropicErrors.response(ApiError.INVALID_API_KEY, "Incorrect API key provided.", null, null)))
                .isEqualTo("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"Incorrect API key provided.\"}}");
    }
}
