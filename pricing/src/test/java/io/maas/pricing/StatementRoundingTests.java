package io.maas.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatementRoundingTests {

    @ParameterizedTest
    @CsvSource({"0.125, 0.12", "0.135, 0.14", "0.1251, 0.13", "2.469134, 2.47", "0.004999, 0.00", "1, 1.00"})
    void totalsAreRoundedHalfEvenToCents(String exact, String rounded) {
        assertThat(StatementRounding.round(new BigDecimal(exact))).isEqualTo(new BigDecimal(rounded));
    }

    @Test
    void exactAmountsAreAddedBeforeTheOnlyRounding() {
        List<BigDecimal> thousandRequests = Collections.nCopies(1000, new BigDecimal("0.004"));

        assertThat(StatementRounding.total(thousandRequests)).isEqualTo(new BigDecimal("4.00"));
    }
}
