package io.maas.pricing;

import static io.maas.pricing.TestBooks.MODEL;
import static io.maas.pricing.TestBooks.cny;
import static io.maas.pricing.TestBooks.usage;
import static io.maas.pricing.TestBooks.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ChargeTests {

    private static final Instant AT = Instant.parse("2026-03-01T12:00:00Z");

    private static PriceBook bookAt(ModelPrices prices) {
        return PriceBook.of("book", null, version("v1", "2026-01-01T00:00:00Z", prices, "UTC", "standard"));
    }

    @Test
    void amountIsTokensTimesPricePerMillionExactly() {
        Charge charge = bookAt(cny("0", "2", "0")).quote(MODEL, AT, usage(0, 1_234_567, 0));

        assertThat(charge.amount()).isEqualTo(new BigDecimal("2.469134"));
    }

    @Test
    void linesKeepEveryDigitAndTheAmountIsTheirSum() {
        Charge charge = bookAt(cny("0.04", "2.1", "8.333")).quote(MODEL, AT, usage(1, 3, 7));

        assertThat(charge.lines()).extracting(ChargeLine::tokenClass, ChargeLine::tokens, ChargeLine::pricePerMillion, ChargeLine::amount)
                .containsExactly(
                        tuple(TokenClass.INPUT_CACHE_HIT, 1L, new BigDecimal("0.04"), new BigDecimal("0.00000004")),
                        tuple(TokenClass.INPUT_CACHE_MISS, 3L, new BigDecimal("2.1"), new BigDecimal("0.0000063")),
                        tuple(TokenClass.OUTPUT, 7L, new BigDecimal("8.333"), new BigDecimal("0.000058331")));
        assertThat(charge.amount()).isEqualTo(new BigDecimal("0.000064671"));
    }

    @Test
    void aMillionRequestsOfOneTokenAddUpToExactlyTheSameAsOneRequestOfAMillionTokens() {
        PriceBook book = bookAt(cny("0.04", "2", "8"));
        BigDecimal oneToken = book.quote(MODEL, AT, usage(1, 0, 0)).amount();

        assertThat(oneToken.multiply(BigDecimal.valueOf(1_000_000))).isEqualByComparingTo(book.quote(MODEL, AT, usage(1_000_000, 0, 0)).amount());
    }

    @Test
    void noTokensCostNothing() {
        assertThat(bookAt(cny("0.5", "2", "8")).quote(MODEL, AT, usage(0, 0, 0)).amount()).isEqualTo(BigDecimal.ZERO);
    }
}
