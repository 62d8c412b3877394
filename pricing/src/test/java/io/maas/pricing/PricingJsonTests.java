package io.maas.pricing;

import static io.maas.pricing.TestBooks.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import tools.jackson.databind.JsonNode;

class PricingJsonTests {

    static final String EXAMPLE = """
            {
              "name": "acme-2026",
              "decidingInstant": "COMPLETION",
              "versions": [{
                "version": "2026-04",
                "effectiveFrom": "2026-04-01T00:00:00Z",
                "models": {
                  "deepseek-flash": {"cacheHit": "0.04", "cacheMiss": "2", "output": "8", "currency": "CNY"},
                  "deepseek-pro": {"cacheHit": 0.1, "cacheMiss": 4, "output": 16, "currency": "CNY"}
                },
                "schedule": {
                  "timezone": "Asia/Shanghai",
                  "defaultTier": "off-peak",
                  "holidayTier": "off-peak",
                  "tiers": [
                    {"name": "peak",
                     "rules": [{"days": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"],
                                "windows": [{"start": "09:00", "end": "12:00"}, {"start": "14:00", "end": "18:00"}]}],
                     "pricing": {"multiplier": "1"}},
                    {"name": "off-peak",
                     "pricing": {"multiplier": "0.5"},
                     "models": {"deepseek-pro": {"prices": {"cacheHit": "0.1", "cacheMiss": "3", "output": "10", "currency": "CNY"}}}}
                  ],
                  "calendar": {"name": "one holiday", "holidays": [{"from": "2026-05-01", "to": "2026-05-05", "name": "Labour Day"}],
                               "makeUpWorkingDays": ["2026-05-09"]}
                }
              }]
            }
            """;

    static final String[] TEMPLATES = PriceBookTemplates.NAMES.toArray(String[]::new);

    @Test
    void readsAPriceBookWithStringAndNumberPrices() {
        PriceBook book = PricingJson.readPriceBook(EXAMPLE);
        Instant fridayNoonBeijing = Instant.parse("2026-04-03T04:00:00Z");

        assertThat(book.versionAt(fridayNoonBeijing).basePrices("deepseek-pro").output()).isEqualTo(new BigDecimal("16"));
        assertThat(book.quote("deepseek-flash", fridayNoonBeijing, usage(0, 1_000_000, 0)))
                .extracting(Charge::tier, Charge::amount).map(Object::toString).containsExactly("off-peak", "1");
        assertThat(book.quote("deepseek-pro", fridayNoonBeijing, usage(0, 1_000_000, 1_000_000)).amount()).isEqualTo("13");
        assertThat(book.quote("deepseek-pro", Instant.parse("2026-05-09T02:00:00Z"), usage(0, 1_000_000, 1_000_000)).tier())
                .isEqualTo("peak");
    }

    @Test
    void exampleRoundTrips() {
        PriceBook book = PricingJson.readPriceBook(EXAMPLE);

        assertThat(PricingJson.readPriceBook(PricingJson.write(book))).isEqualTo(book);
    }

    @ParameterizedTest
    @FieldSource("TEMPLATES")
    void templatesRoundTrip(String name) {
        PriceBook book = PriceBookTemplates.load(name);
        String json = PricingJson.write(book);

        assertThat(PricingJson.readPriceBook(json)).isEqualTo(book);
        assertThat(PricingJson.write(PricingJson.readPriceBook(json))).isEqualTo(json);
    }

    @Test
    void pricesAndAmountsAreWrittenAsPlainDecimalStringsAndTimesShort() {
        PriceBook book = PriceBookTemplates.load(PriceBookTemplates.DEEPSEEK_2026);
        Charge charge = book.quote("deepseek-flash", Instant.parse("2026-03-16T02:00:00Z"), usage(1, 0, 0));

        JsonNode json = PricingJson.mapper().readTree(PricingJson.write(charge));

        assertThat(json.get("amount").isString()).isTrue();
        assertThat(json.get("amount").asString()).isEqualTo("0.00000004");
        assertThat(json.get("currency").asString()).isEqualTo("CNY");
        assertThat(json.get("tier").asString()).isEqualTo("peak");
        assertThat(json.get("priceBookVersion").asString()).isEqualTo("2026-01-01");
        assertThat(json.get("lines").get(0).get("tokenClass").asString()).isEqualTo("input-cache-hit");
        assertThat(json.get("lines").get(0).get("pricePerMillion").asString()).isEqualTo("0.04");
        JsonNode versionJson = PricingJson.mapper().readTree(PricingJson.write(book)).get("versions").get(0);
        assertThat(versionJson.get("models").get("deepseek-flash").get("cacheHit").asString()).isEqualTo("0.04");
        assertThat(versionJson.at("/schedule/tiers/0/rules/0/windows/1/start").asString()).isEqualTo("14:00");
    }

    @Test
    void errorsNameTheFieldFromTheRoot() {
        assertInvalid(EXAMPLE.replace("\"Asia/Shanghai\"", "\"Mars/Olympus\""), "versions[0].schedule.timezone", "Mars/Olympus");
        assertInvalid(EXAMPLE.replace("\"cacheMiss\": \"2\"", "\"cacheMiss\": \"-2\""),
                "versions[0].models.deepseek-flash.cacheMiss", "must not be negative, was -2");
        assertInvalid(EXAMPLE.replace("{\"start\": \"14:00\"", "{\"start\": \"11:00\""),
                "versions[0].schedule.tiers[0].rules[0].windows[1]", "overlaps tiers[0].rules[0].windows[0]");
        assertInvalid(EXAMPLE.replace("\"windows\": [{\"start\": \"09:00\", \"end\": \"12:00\"}, {\"start\": \"14:00\", \"end\": \"18:00\"}]",
                "\"windows\": []"), "versions[0].schedule.tiers[0].rules[0].windows", "at least one time window");
        assertInvalid(EXAMPLE.replace("\"pricing\": {\"multiplier\": \"0.5\"},", ""),
                "versions[0].schedule.tiers[1].models", "tier 'off-peak' has no price for model 'deepseek-flash'");
        assertInvalid(EXAMPLE.replace("{\"name\": \"peak\",", "{\"name\": \"peak\", \"colour\": \"red\","),
                "versions[0].schedule.tiers[0].colour", "colour");
        assertInvalid(EXAMPLE.replace("\"multiplier\": \"1\"", "\"multiplyer\": \"1\""),
                "versions[0].schedule.tiers[0].pricing.multiplier", "give either a multiplier or absolute prices, not neither");
        assertInvalid(EXAMPLE.replace("\"2026-04-01T00:00:00Z\"", "\"next Tuesday\""), "versions[0].effectiveFrom", "next Tuesday");
        assertInvalid("{\"name\": ", "$", "not valid JSON");
    }

    private static void assertInvalid(String json, String field, String problem) {
        assertThatThrownBy(() -> PricingJson.readPriceBook(json))
                .isInstanceOfSatisfying(InvalidPriceBookException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.problem()).contains(problem);
                });
    }
}
