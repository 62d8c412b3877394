package io.maas.tenant.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StatementCsvTests {

    @Test
    void cellsASpreadsheetWouldRunAsFormulasBecomeTextWhileNumbersStayNumbers() {
        List<String> models = List.of("=HYPERLINK(\"http://evil\";\"x\")", "+1+cmd", "-2-cmd", "@SUM(A1:A9)", "\tcmd", "\rcmd", "plain-model");
        List<Statement.Line> lines = models.stream()
                .map(model -> new Statement.Line(model, "peak", "output", "CNY", 1, 10, "-1.5")).toList();
        var statement = new Statement(UUID.randomUUID(), "t", YearMonth.of(2026, 11), "Asia/Shanghai", Instant.EPOCH, Instant.EPOCH, lines, List.of(),
                List.of(new Statement.Total("CNY", "-10.5", "-10.50", "0", "0")), "HALF_EVEN");

        List<String> rows = List.of(StatementCsv.write(statement).split("\r\n(?=[a-z])"));

        assertThat(rows.subList(1, 8)).extracting(row -> cell(row, 1)).containsExactly(
                "'=HYPERLINK(\"\"http://evil\"\";\"\"x\"\")", "'+1+cmd", "'-2-cmd", "'@SUM(A1:A9)", "'\tcmd", "'\rcmd", "plain-model");
        assertThat(rows.subList(1, 8)).extracting(row -> new BigDecimal(cell(row, 7))).containsOnly(new BigDecimal("-1.5"));
        assertThat(rows).anySatisfy(row -> assertThat(row).startsWith("total-usage,").contains(",-10.50,"));
    }

    /** The {@code index}th cell, unquoted as RFC 4180 says (the test's cells hold no commas). */
    private static String cell(String row, int index) {
        String cell = row.split(",", -1)[index];
        return cell.startsWith("\"") ? cell.substring(1, cell.length() - 1) : cell;
    }
}
