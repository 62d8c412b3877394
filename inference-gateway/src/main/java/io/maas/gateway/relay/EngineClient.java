package io.maas.gateway.relay;

import io.maas.api.engine.EngineSecret;
import io.maas.api.engine.EngineReceipt;
import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.api.openai.ErrorResponse;
import io.maas.api.openai.RequestId;
import io.maas.api.openai.Usage;
import io.maas.gateway.GatewayProperties;
import io.maas.gateway.routing.Lease;
import io.maas.gateway.routing.ModelRoutes;
import io.maas.gateway.routing.Router;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Talks to engine adapters over their OpenAI-compatible HTTP API, on the endpoints the {@link Router}
 * leases. Failover happens only before the engine answered, and only for failures that did no
 * work: a refused connection (the endpoint is ejected), a 503 (draining or its queue full: out
 * without a fault) or a 429; the next endpoint is then picked among those not tried. Other
 * failures end the request: an engine's 4xx is the client's fault and is passed on with the
 * engine's message; a 5xx ejects the endpoint and becomes 502 with a generic message.
 */
@Component
class EngineClient {

    private static final Logger log = LoggerFactory.getLogger(EngineClient.class);

    /**
     * An engine that accepted the request; {@code body} must be closed, which aborts the engine's work
     * if unread, and {@code lease} closed when the request ends.
     */
    record EngineCall(Lease lease, InputStream body) {
        URI endpoint() {
            return lease.endpoint();
        }
    }

    /**
     * The request was sent on {@code lease} (closed by now) but no answer came (a timeout, a broken
     * connection): the engine may have worked on it, so the caller bills what the engine's receipt says,
     * then tells the client {@code answer}.
     */
    static final class SentWithoutAnswer extends RuntimeException {

        private final transient Lease lease;
        private final ApiException answer;

        SentWithoutAnswer(Lease lease, ApiException answer, Exception cause) {
            super(answer.getMessage(), cause);
            this.lease = lease;
            this.answer = answer;
        }

        Lease lease() {
            return lease;
        }

        ApiException answer() {
            return answer;
        }
    }

    private final EngineHttp http;
    private final JsonMapper json;
    private final Duration responseTimeout;
    private final EngineSecret engineSecret;
    private final Router router;

    EngineClient(GatewayProperties properties, JsonMapper json, Router router) {
        this.router = router;
        this.http = new EngineHttp(properties.engineConnectTimeout(), properties.engineKeepAlive());
        this.json = json;
        this.responseTimeout = properties.engineResponseTimeout();
        this.engineSecret = properties.engineSecret();
    }

    /** Every call to an engine carries the gateway's secret: the headers of a call, as name, value pairs. */
    private String[] toEngine(String... headers) {
        return engineSecret.authorization()
                .map(value -> {
                    String[] all = Arrays.copyOf(headers, headers.length + 2);
                    all[headers.length] = EngineSecret.HEADER;
                    all[headers.length + 1] = value;
                    return all;
                })
                .orElse(headers);
    }

    /** Closes the kept-alive connections to engines. */
    @PreDestroy
    void close() {
        http.close();
    }

    /**
     * Sends the request to the endpoints the router leases until one accepts it; the wait for the answer
     * to begin ends at {@code engine-response-timeout} or at {@code deadline}, whichever comes first.
     *
     * @throws SentWithoutAnswer when an engine got the request and gave no answer
     */
    EngineCall call(ModelRoutes.Route route, ChatRequest.Api api, Router.Request routing, byte[] body, Instant deadline) {
        String requestId = routing.requestId();
        Set<URI> tried = new HashSet<>();
        Optional<Lease> next;
        while ((next = router.lease(route, routing, tried)).isPresent()) {
            Lease lease = next.get();
            URI endpoint = lease.endpoint();
            tried.add(endpoint);
            boolean accepted = false;
            try {
                EngineHttp.Response response = send(route, endpoint.resolve(api.path()), requestId, body, lease, deadline);
                if (response == null) {
                    continue;
                }
                if (response.status() == 200) {
                    accepted = true;
                    return new EngineCall(lease, response.body());
                }
                ApiException refusal = refusal(route, endpoint, requestId, response);
                if (response.status() == 503) {
                    lease.refused();
                } else if (response.status() >= 500) {
                    lease.fault();
                }
                if (response.status() != 503 && response.status() != 429) {
                    throw refusal;
                }
            } finally {
                if (!accepted) {
                    lease.close();
                }
            }
        }
        throw new ApiException(ApiError.ENGINE_UNAVAILABLE, "No engine serving '" + route.model()
                + "' is available right now. Retry in a few seconds.");
    }

    /**
     * The engine's answer; null when it could not be reached (the endpoint is ejected and the next one may
     * be tried).
     *
     * @throws SentWithoutAnswer when the engine got the request and gave no answer
     */
    private EngineHttp.Response send(ModelRoutes.Route route, URI uri, String requestId, byte[] body, Lease lease,
            Instant deadline) {
        URI endpoint = lease.endpoint();
        Duration left = Duration.between(Instant.now(), deadline);
        try {
            return http.send(uri, "POST", body,
                    left.compareTo(responseTimeout) < 0 ? Duration.ofMillis(Math.max(1, left.toMillis())) : responseTimeout,
                    toEngine("Content-Type", "application/json", RequestId.HEADER, requestId));
        } catch (EngineHttp.Unreachable e) {
            log.warn("Engine {} of model {} unreachable for request {}: {}", endpoint, route.model(), requestId, e.toString());
            lease.fault();
            return null;
        } catch (EngineHttp.NoAnswerInTime e) {
            log.warn("Engine {} did not start answering request {} in time", endpoint, requestId);
            throw new SentWithoutAnswer(lease, new ApiException(ApiError.ENGINE_UNAVAILABLE, "The engine serving '"
                    + route.model() + "' did not start answering in time. Retry later."), e);
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) { // a blocked read ends with the socket closed by the interrupt
                throw new SentWithoutAnswer(lease, new ApiException(ApiError.ENGINE_UNAVAILABLE,
                        "The gateway is shutting down. Retry."), e);
            }
            log.warn("Engine {} failed request {} before answering: {}", endpoint, requestId, e.toString());
            lease.fault();
            throw new SentWithoutAnswer(lease, new ApiException(ApiError.ENGINE_ERROR, "The engine serving '"
                    + route.model() + "' failed. Retry later."), e);
        }
    }

    /**
     * The engine's own count of what it did for {@code requestId}, waiting up to {@code wait} for it to
     * finish; empty when the engine cannot say (it is gone, or forgot the request).
     */
    Optional<Usage> finalUsage(URI endpoint, String requestId, Duration wait) {
        URI receipt = endpoint.resolve(EngineReceipt.path(requestId) + "?waitMs=" + wait.toMillis());
        try {
            EngineHttp.Response response = http.send(receipt, "GET", null, wait.plusSeconds(2), toEngine());
            try (InputStream body = response.body()) {
                if (response.status() != 200) {
                    log.warn("Engine {} has no receipt for request {} (HTTP {})", endpoint, requestId, response.status());
                    return Optional.empty();
                }
                return Optional.ofNullable(json.readValue(body.readAllBytes(), EngineReceipt.class).usage());
            }
        } catch (IOException | JacksonException e) {
            log.warn("Engine {} did not give the receipt of request {}: {}", endpoint, requestId, e.toString());
            return Optional.empty();
        }
    }

    private ApiException refusal(ModelRoutes.Route route, URI endpoint, String requestId, EngineHttp.Response response) {
        int status = response.status();
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
