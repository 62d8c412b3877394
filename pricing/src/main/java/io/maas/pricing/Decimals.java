package io.maas.pricing;

import java.math.BigDecimal;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;

/** Exact decimals as this library keeps and writes them. Nothing here rounds. */
final class Decimals {

    private static final int TOKENS_PER_PRICE_UNIT_EXPONENT = 6;

    private Decimals() {
    }

    /**
     * The amount for {@code tokens} at {@code pricePerMillion}: {@code tokens × price / 1,000,000},
     * exact (moving the decimal point loses no digit), with trailing zeros removed.
     */
    static BigDecimal amount(long tokens, BigDecimal pricePerMillion) {
        return normalize(BigDecimal.valueOf(tokens).multiply(pricePerMillion).movePointLeft(TOKENS_PER_PRICE_UNIT_EXPONENT));
    }

    /** The same value without trailing fraction zeros and never with a negative scale (2.50 → 2.5, 5E+2 → 500). */
    static BigDecimal normalize(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    /** Writes a decimal as a JSON string in plain notation ("0.00000004", never "4E-8"), so no reader turns it into a double. */
    static final class PlainString extends ValueSerializer<BigDecimal> {
        @Override
        public void serialize(BigDecimal value, JsonGenerator gen, SerializationContext context) {
            gen.writeString(value.toPlainString());
        }
    }
}
