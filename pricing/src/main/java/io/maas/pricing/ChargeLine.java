package io.maas.pricing;

import java.math.BigDecimal;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * One token class of a {@link Charge}: {@code amount = tokens × pricePerMillion / 1,000,000},
 * exact and not rounded.
 */
public record ChargeLine(
        TokenClass tokenClass,
        long tokens,
        @JsonSerialize(using = Decimals.PlainString.class) BigDecimal pricePerMillion,
        @JsonSerialize(using = Decimals.PlainString.class) BigDecimal amount) {
}
