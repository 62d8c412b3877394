package io.maas.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The one place money is rounded. Each request's exact amount is kept in the ledger unrounded;
 * a statement adds the exact amounts first and rounds only the total, half-even (banker's
 * rounding) to 0.01 — so rounding never accumulates over many small requests and is unbiased.
 */
public final class StatementRounding {

    /** Cents: two digits after the decimal point, in CNY and in USD alike. */
    public static final int SCALE = 2;

    /** Half-even: 0.125 → 0.12, 0.135 → 0.14. */
    public static final RoundingMode MODE = RoundingMode.HALF_EVEN;

    private StatementRounding() {
    }

    /** {@code exactTotal} rounded half-even to 0.01. */
    public static BigDecimal round(BigDecimal exactTotal) {
        return exactTotal.setScale(SCALE, MODE);
    }

    /** The exact sum of {@code exactAmounts} (all in one currency), then rounded half-even to 0.01. */
    public static BigDecimal total(Iterable<BigDecimal> exactAmounts) {
        BigDecimal sum = BigDecimal.ZERO;
        for (BigDecimal amount : exactAmounts) {
            sum = sum.add(amount);
        }
        return round(sum);
    }
}
