package io.maas.pricing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * The price of one request (or a quote): exactly what the ledger charges.
 *
 * <p>{@code amount} is the exact sum of the lines' exact amounts, never rounded: the ledger keeps
 * it as is, and only statement totals are rounded ({@link StatementRounding}). In JSON it is a
 * string in plain notation.
 *
 * @param priceBook            the price book's name
 * @param priceBookVersion     the id of the version that priced the request
 * @param versionEffectiveFrom when that version came into force
 * @param model                the model priced
 * @param tier                 the tier that applied, e.g. "peak" or "off-peak"
 * @param pricedAt             the instant that decided version and tier ({@link DecidingInstant})
 * @param currency             the currency of every amount here
 * @param amount               Σ of the lines' amounts, exact
 * @param lines                one line per token class
 */
public record Charge(
        String priceBook,
        String priceBookVersion,
        Instant versionEffectiveFrom,
        String model,
        String tier,
        Instant pricedAt,
        Currency currency,
        @JsonSerialize(using = Decimals.PlainString.class) BigDecimal amount,
        List<ChargeLine> lines) {

    public Charge {
        lines = List.copyOf(lines);
    }
}
