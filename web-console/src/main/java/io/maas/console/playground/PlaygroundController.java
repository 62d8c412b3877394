package io.maas.console.playground;

import io.maas.console.system.ApiProblem;
import io.maas.console.system.ConsoleProperties;
import io.maas.console.system.Formats;
import io.maas.console.system.TenantApi;
import io.maas.console.system.TenantBook;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.ModelAndView;
import tools.jackson.databind.json.JsonMapper;

/**
 * Try a model with one of your keys: the browser sends the prompt and the key's secret to the
 * console, which calls the gateway's {@code /v1/chat/completions} with it, as any client would,
 * and relays the event stream byte for byte as it comes. The secret is used for that one call and
 * neither kept nor logged. Timing (time to first token, tokens per second) is measured in the
 * browser, where the person waits; the cost is the quote of tenant-service for the tokens the
 * gateway reported, at this moment's tier.
 */
@Controller
@RequestMapping("/playground")
class PlaygroundController {

    record Key(UUID id, String name, String prefix, List<String> allowedModels, String status) {
    }

    /** What the browser sends to stream an answer. */
    record Ask(String secret, String model, String prompt, Integer maxTokens) {
    }

    /** The tokens the gateway reported, to price. */
    record Priced(String model, long promptCacheHitTokens, long promptCacheMissTokens, long completionTokens) {
    }

    record Quote(String amount, String currency, String tier, String priceBook, String priceBookVersion) {
    }

    private static final ParameterizedTypeReference<List<Key>> KEYS = new ParameterizedTypeReference<>() { };

    private final TenantApi api;
    private final TenantBook book;
    private final Formats formats;
    private final ConsoleProperties properties;
    private final JsonMapper json;
    private final HttpClient http;

    PlaygroundController(TenantApi api, TenantBook book, Formats formats, ConsoleProperties properties, JsonMapper json) {
        this.api = api;
        this.book = book;
        this.formats = formats;
        this.properties = properties;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(properties.requestTimeout()).build();
    }

    @GetMapping
    ModelAndView page() {
        UUID tenant = TenantApi.current().tenantId();
        ModelAndView view = new ModelAndView("playground/playground");
        view.addObject("keys", api.get(KEYS, "/api/v1/tenants/{tenant}/api-keys", tenant).stream()
                .filter(k -> "ACTIVE".equals(k.status())).toList());
        view.addObject("models", book.models(tenant));
        return view;
    }

    /** The gateway's answer, relayed as it streams: its status, content type and bytes. */
    @PostMapping(value = "/stream", consumes = MediaType.APPLICATION_JSON_VALUE)
    void stream(@RequestBody Ask ask, HttpServletResponse response) throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", ask.model());
        body.put("messages", List.of(Map.of("role", "user", "content", ask.prompt() == null ? "" : ask.prompt())));
        if (ask.maxTokens() != null) {
            body.put("max_tokens", ask.maxTokens());
        }
        body.put("stream", true);
        body.put("stream_options", Map.of("include_usage", true));
        HttpRequest request = HttpRequest.newBuilder(properties.gatewayUrl().resolve(URI.create("/v1/chat/completions")))
                .header("Authorization", "Bearer " + (ask.secret() == null ? "" : ask.secret().strip()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build();
        HttpResponse<InputStream> answer;
        try {
            answer = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException unreachable) {
            response.setStatus(502);
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            json.writeValue(response.getOutputStream(), Map.of("error", Map.of("message", "The gateway cannot be reached.")));
            return;
        }
        response.setStatus(answer.statusCode());
        response.setContentType(answer.headers().firstValue("Content-Type").orElse(MediaType.TEXT_EVENT_STREAM_VALUE));
        response.setHeader("Cache-Control", "no-store");
        answer.headers().firstValue("x-request-id").ifPresent(id -> response.setHeader("x-request-id", id));
        try (InputStream in = answer.body()) {
            OutputStream out = response.getOutputStream();
            byte[] buffer = new byte[4096];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        }
    }

    /** The cost of these tokens now, at this moment's tier of the tenant's price book. */
    @PostMapping(value = "/quote", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    Map<String, String> quote(@RequestBody Priced priced) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("model", priced.model());
        request.put("at", Instant.now().toString());
        request.put("promptCacheHitTokens", priced.promptCacheHitTokens());
        request.put("promptCacheMissTokens", priced.promptCacheMissTokens());
        request.put("completionTokens", priced.completionTokens());
        try {
            Quote quote = api.post(request, Quote.class, "/api/v1/pricing/quote");
            return Map.of("cost", formats.money(quote.amount(), quote.currency()), "tier", quote.tier(),
                    "priceBook", quote.priceBook() + " " + quote.priceBookVersion());
        } catch (ApiProblem problem) {
            return Map.of("error", problem.getMessage());
        }
    }
}
