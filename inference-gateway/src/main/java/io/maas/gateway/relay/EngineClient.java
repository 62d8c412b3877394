package io.maas.gateway.relay;

import io.maas.api.engine.EngineSecret;
import io.maas.api.engine.EngineReceipt;
import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.api.openai.ErrorResponse;
import io.maas.api.openai.RequestId;
import io.maas.api.openai.Usage;
import io.maas.gateway.GatewayProperties;
import io.maas.gateway.routing.ModelRoutes;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Talks to engine adapters over their OpenAI-compatible HTTP API. Connect failures and 503s
 * (engine loading or draining) are transient: the next endpoint of the route is tried. Other
 * failures end the request: an engine's 4xx is the client's fault and is passed on with the
 * engine's message; a 5xx becomes 502 with a generic message.
 */
@Component
class EngineClient {

    private static final Logger log = LoggerFactory.getLogger(EngineClient.class);

    /** An engine that accepted the request; {@code body} must be closed, which aborts the engine's work if unread. */
    record EngineCall(URI endpoint, InputStream body) {
    }

    /**
     * The request was sent to {@code endpoint} but no answer came (a timeout, a broken connection): the
     * engine may have worked on it, so the caller bills what the engine's receipt says, then tells the
     * client {@code answer}.
     */
    static final class SentWithoutAnswer extends RuntimeException {

        private final URI endpoint;
        private final ApiException answer;

        SentWithoutAnswer(URI endpoint, ApiException answer, Exception cause) {
            super(answer.getMessage(), cause);
            this.endpoint = endpoint;
            this.answer = answer;
        }

        URI endpoint() {
            return endpoint;
        }

        ApiException answer() {
            return answer;
        }
    }

    private final HttpClient http;
    private final JsonMapper json;
    private final Duration responseTimeout;
    private final EngineSecret engineSecret;

    EngineClient(GatewayProperties properties, JsonMapper json) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.engineConnectTimeout())
                .build();
        this.json = json;
        this.responseTimeout = properties.engineResponseTimeout();
        this.engineSecret = properties.engineSecret();
    }

    /** Every call to an engine carries the gateway's secret. */
    private HttpRequest.Builder toEngine(URI uri) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        engineSecret.authorization().ifPresent(value -> request.header(EngineSecret.HEADER, value));
        return request;
    }

    /**
     * Sends the request to the route's endpoints in turn until one accepts it; the wait for the answer to
     * begin ends at {@code engine-response-timeout} or at {@code deadline}, whichever comes first.
     *
     * @throws SentWithoutAnswer when an engine got the request and gave no answer
     */
    EngineCall chatCompletions(ModelRoutes.Route route, String requestId, byte[] body, Instant deadline) {
        for (URI endpoint : route.endpoints()) {
            Duration left = Duration.between(Instant.now(), deadline);
            HttpRequest request = toEngine(endpoint.resolve("/v1/chat/completions"))
                    .timeout(left.compareTo(responseTimeout) < 0 ? Duration.ofMillis(Math.max(1, left.toMillis())) : responseTimeout)
                    .header("Content-Type", "application/json")
                    .header(RequestId.HEADER, requestId)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<InputStream> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (ConnectException | HttpConnectTimeoutException e) {
                log.warn("Engine {} of model {} unreachable for request {}: {}", endpoint, route.model(), requestId, e.toString());
                continue;
            } catch (HttpTimeoutException e) {
                log.warn("Engine {} did not start answering request {} in time", endpoint, requestId);
                throw new SentWithoutAnswer(endpoint, new ApiException(ApiError.ENGINE_UNAVAILABLE, "The engine serving '"
                        + route.model() + "' did not start answering in time. Retry later."), e);
            } catch (IOException e) {
                log.warn("Engine {} failed request {} before answering: {}", endpoint, requestId, e.toString());
                throw new SentWithoutAnswer(endpoint, new ApiException(ApiError.ENGINE_ERROR, "The engine serving '"
                        + route.model() + "' failed. Retry later."), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SentWithoutAnswer(endpoint, new ApiException(ApiError.ENGINE_UNAVAILABLE,
                        "The gateway is shutting down. Retry."), e);
            }
            if (response.statusCode() == 200) {
                return new EngineCall(endpoint, response.body());
            }
            ApiException refusal = refusal(route, endpoint, requestId, response);
            if (refusal.error() != ApiError.ENGINE_UNAVAILABLE) {
                throw refusal;
            }
        }
        throw new ApiException(ApiError.ENGINE_UNAVAILABLE, "No engine serving '" + route.model()
                + "' is available right now. Retry in a few seconds.");
    }

    /**
     * The engine's own count of what it did for {@code requestId}, waiting up to {@code wait} for it to
     * finish; empty when the engine cannot say (it is gone, or forgot the request).
     */
    Optional<Usage> finalUsage(URI endpoint, String requestId, Duration wait) {
        HttpRequest request = toEngine(endpoint.resolve(EngineReceipt.path(requestId) + "?waitMs=" + wait.toMillis()))
                .timeout(wait.plusSeconds(2))
                .GET()
                .build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                log.warn("Engine {} has no receipt for request {} (HTTP {})", endpoint, requestId, response.statusCode());
                return Optional.empty();
            }
            return Optional.ofNullable(json.readValue(response.body(), EngineReceipt.class).usage());
        } catch (IOException | JacksonException e) {
            log.warn("Engine {} did not give the receipt of request {}: {}", endpoint, requestId, e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private ApiException refusal(ModelRoutes.Route route, URI endpoint, String requestId, HttpResponse<InputStream> response) {
        int status = response.statusCode();
        ErrorResponse.Body error = null;
        try (InputStream body = response.body()) {
            error = json.readValue(body.readNBytes(64 * 1024), ErrorResponse.class).error();
        } catch (IOException | JacksonException e) {
            log.debug("Engine {} answered {} without an OpenAI error body", endpoint, status);
        }
        if (status >= 500) {
            log.warn("Engine {} answered {} to request {}: {}", endpoint, status, requestId, error == null ? "-" : error.message());
            return status == 503
                    ? new ApiException(ApiError.ENGINE_UNAVAILABLE, "The engine serving '" + route.model() + "' is not ready.")
                    : new ApiException(ApiError.ENGINE_ERROR, "The engine serving '" + route.model() + "' failed. Retry later.");
        }
        if (error == null || error.message() == null) {
            return new ApiException(ApiError.forStatus(status), "The engine refused the request (HTTP " + status + ").");
        }
        String code = error.code();
        ApiError mapped = Arrays.stream(ApiError.values())
                .filter(e -> e.code().equals(code) && e.status() == status)
                .findFirst()
                .orElse(ApiError.forStatus(status));
        return new ApiException(mapped, error.message(), error.param());
    }
}
