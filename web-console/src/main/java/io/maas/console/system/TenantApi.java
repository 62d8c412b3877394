package io.maas.console.system;

import io.maas.api.tenant.Role;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * tenant-service's {@code /api/v1}, called as the signed-in person: every call carries their
 * tenant-service session cookie (and, for writes, its CSRF token), so tenant-service decides what
 * they may see and do, exactly as for any other client. A refusal comes back as an
 * {@link ApiProblem} with the API's own message.
 */
@Component
public class TenantApi {

    private record SessionBody(java.util.UUID userId, String username, Role role, java.util.UUID tenantId, String csrfHeader,
                               String csrfToken) {
    }

    private final RestClient client;
    private final JsonMapper json;

    TenantApi(ConsoleProperties properties, JsonMapper json) {
        var factory = new JdkClientHttpRequestFactory(HttpClient.newBuilder().connectTimeout(properties.requestTimeout()).build());
        factory.setReadTimeout(properties.requestTimeout());
        this.json = json;
        this.client = RestClient.builder().baseUrl(properties.apiUrl().toString()).requestFactory(factory)
                .defaultStatusHandler(status -> status.isError(), (request, response) -> {
                    throw problem(response);
                })
                .build();
    }

    /**
     * Checks {@code username} and {@code password} with tenant-service and opens a session there
     * that acts for them; {@link ApiProblem} 401 when they are wrong.
     */
    ConsoleUser open(String username, String password) {
        return openWith("Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** Opens a session for the platform person an OpenID provider's {@code idToken} names; 401 when tenant-service refuses it. */
    ConsoleUser open(String idToken) {
        return openWith("Bearer " + idToken);
    }

    private ConsoleUser openWith(String authorization) {
        var entity = client.post().uri("/api/v1/sessions").header(HttpHeaders.AUTHORIZATION, authorization)
                .retrieve().toEntity(SessionBody.class);
        SessionBody body = entity.getBody();
        String cookie = entity.getHeaders().getOrEmpty(HttpHeaders.SET_COOKIE).stream()
                .map(c -> c.split(";", 2)[0]).filter(c -> c.startsWith("JSESSIONID=")).findFirst()
                .orElseThrow(() -> new ApiProblem(502, "tenant-service opened no session", Map.of()));
        return new ConsoleUser(body.userId(), body.username(), body.role(), body.tenantId(), cookie, body.csrfHeader(), body.csrfToken());
    }

    /** Ends {@code user}'s tenant-service session. */
    void close(ConsoleUser user) {
        client.delete().uri("/api/v1/sessions/current").headers(h -> {
            as(user, h);
            h.set(user.csrfHeader(), user.csrfToken());
        }).retrieve().toBodilessEntity();
    }

    public <T> T get(Class<T> type, String path, Object... variables) {
        return client.get().uri(path, variables).headers(h -> as(current(), h)).retrieve().body(type);
    }

    public <T> T get(ParameterizedTypeReference<T> type, String path, Object... variables) {
        return client.get().uri(path, variables).headers(h -> as(current(), h)).retrieve().body(type);
    }

    /** A text document (a CSV statement) as tenant-service wrote it. */
    public String text(MediaType accept, String path, Object... variables) {
        return client.get().uri(path, variables).accept(accept).headers(h -> as(current(), h)).retrieve().body(String.class);
    }

    public <T> T post(Object body, Class<T> type, String path, Object... variables) {
        return write(client.post(), body, path, variables).body(type);
    }

    public <T> T put(Object body, Class<T> type, String path, Object... variables) {
        return write(client.put(), body, path, variables).body(type);
    }

    /** A write whose answer the page does not need (e.g. 204). */
    public void send(org.springframework.http.HttpMethod method, Object body, String path, Object... variables) {
        write(client.method(method), body, path, variables).toBodilessEntity();
    }

    private RestClient.ResponseSpec write(RestClient.RequestBodyUriSpec spec, Object body, String path, Object... variables) {
        ConsoleUser user = current();
        var request = spec.uri(path, variables).headers(h -> {
            as(user, h);
            h.set(user.csrfHeader(), user.csrfToken());
        });
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).body(body);
        }
        return request.retrieve();
    }

    private static void as(ConsoleUser user, HttpHeaders headers) {
        headers.set(HttpHeaders.COOKIE, user.apiCookie());
        headers.setAccept(java.util.List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON));
    }

    /** The signed-in person of this request. */
    public static ConsoleUser current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof ConsoleUser user) {
            return user;
        }
        throw new IllegalStateException("nobody is signed in on this request");
    }

    /** The problem tenant-service answered, with its field errors when it named fields. */
    private ApiProblem problem(ClientHttpResponse response) throws java.io.IOException {
        int status = response.getStatusCode().value();
        byte[] bytes = response.getBody().readAllBytes();
        String detail = "tenant-service answered " + status;
        Map<String, String> fields = new LinkedHashMap<>();
        JsonNode problem = null;
        try {
            problem = json.readTree(bytes);
            if (problem.hasNonNull("detail")) {
                detail = problem.get("detail").asString();
            }
            if (problem.hasNonNull("field")) {
                fields.put(problem.get("field").asString(), detail);
            }
            for (JsonNode error : problem.path("errors")) {
                fields.merge(error.path("field").asString(), error.path("message").asString(), (a, b) -> a + "; " + b);
            }
        } catch (RuntimeException notJson) {
            // a proxy's HTML error page: the status says enough
        }
        return new ApiProblem(status, detail, fields, problem);
    }
}
