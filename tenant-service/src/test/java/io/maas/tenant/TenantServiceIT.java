package io.maas.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TenantServiceIT extends ServiceTest {

    Api admin;

    @BeforeEach
    void signIn() {
        admin = admin();
    }

    @Test
    void withoutCredentialsTheAnswerIsA401ProblemDetail() {
        var response = admin.as(null, null).get("/api/v1/tenants");

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("status").asInt()).isEqualTo(401);
    }

    @Test
    void openApiAndHealthAreOpen() {
        assertThat(admin.as(null, null).get("/v3/api-docs").body()).contains("/api/v1/pricing/quote", "/api/v1/tenants");
        assertThat(admin.as(null, null).get("/health").status()).isEqualTo(200);
    }

    @Test
    void quotesTheDeepSeek2026TemplateExactly() {
        admin.post("/api/v1/price-books", "{\"template\":\"deepseek-2026\",\"name\":\"quote-2026\"}");

        // Tuesday 2026-03-03 10:00 Beijing = 02:00 UTC: peak
        var peak = admin.post("/api/v1/pricing/quote", """
                {"priceBook":"quote-2026","model":"deepseek-flash","at":"2026-03-03T02:00:00Z",
                 "promptCacheHitTokens":1000,"promptCacheMissTokens":1000,"completionTokens":1000}""");
        var night = admin.post("/api/v1/pricing/quote", """
                {"priceBook":"quote-2026","model":"deepseek-flash","at":"2026-03-03T15:00:00Z",
                 "promptCacheHitTokens":1000,"promptCacheMissTokens":1000,"completionTokens":1000}""");

        assertThat(peak.status()).as(peak.body()).isEqualTo(200);
        assertThat(peak.json().get("tier").asString()).isEqualTo("peak");
        assertThat(peak.json().get("currency").asString()).isEqualTo("CNY");
        assertThat(night.json().get("tier").asString()).isEqualTo("off-peak");
        // per million tokens: cache hit 0.04, cache miss 2, output 8 CNY at peak; off-peak half of it
        assertThat(new java.math.BigDecimal(peak.json().get("amount").asString()))
                .isEqualByComparingTo("0.01004"); // 1000 × (0.04 + 2 + 8) / 1e6
        assertThat(new java.math.BigDecimal(night.json().get("amount").asString())).isEqualByComparingTo("0.00502");
    }

    @Test
    void unknownModelOrBookIs404AndBadNumbersAre400() {
        admin.post("/api/v1/price-books", "{\"template\":\"deepseek-2025\",\"name\":\"quote-2025\"}");

        var model = admin.post("/api/v1/pricing/quote", """
                {"priceBook":"quote-2025","model":"gpt-17","at":"2026-03-03T02:00:00Z",
                 "promptCacheHitTokens":1,"promptCacheMissTokens":1,"completionTokens":1}""");
        var book = admin.post("/api/v1/pricing/quote", """
                {"priceBook":"no-such-book","model":"deepseek-chat","at":"2026-03-03T02:00:00Z",
                 "promptCacheHitTokens":1,"promptCacheMissTokens":1,"completionTokens":1}""");
        var negative = admin.post("/api/v1/pricing/quote", """
                {"priceBook":"quote-2025","model":"deepseek-chat","at":"2026-03-03T02:00:00Z",
                 "promptCacheHitTokens":-1,"promptCacheMissTokens":1,"completionTokens":1}""");
        var notANumber = admin.post("/api/v1/pricing/quote", """
                {"priceBook":"quote-2025","model":"deepseek-chat","at":"2026-03-03T02:00:00Z",
                 "promptCacheHitTokens":"many","promptCacheMissTokens":1,"completionTokens":1}""");
        var badInstant = admin.post("/api/v1/pricing/quote", """
                {"priceBook":"quote-2025","model":"deepseek-chat","at":"yesterday",
                 "promptCacheHitTokens":1,"promptCacheMissTokens":1,"completionTokens":1}""");

        assertThat(model.status()).isEqualTo(404);
        assertThat(model.json().get("detail").asString()).contains("gpt-17", "deepseek-chat");
        assertThat(book.status()).isEqualTo(404);
        assertThat(negative.status()).isEqualTo(400);
        assertThat(notANumber.status()).isEqualTo(400);
        assertThat(badInstant.status()).isEqualTo(400);
        assertThat(badInstant.contentType()).startsWith("application/problem+json");
        assertThat(badInstant.body()).doesNotContain("at tools.jackson", "Exception");
    }
}
