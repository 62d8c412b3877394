package io.maas.tenant.billing;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A statement as CSV (RFC 4180, header row, comma separated, amounts as plain decimals, text
 * quoted when it contains a comma, quote or line break). One table:
 * {@code record,model,tier,token_class,currency,requests,tokens,amount,date,expires_on,zone}, where
 * {@code record} is {@code usage} (exact line amounts), {@code grant}, {@code top-up},
 * {@code total-usage-exact}, {@code total-usage}, {@code total-grants} or {@code total-top-ups}
 * (the last three rounded half-even to 0.01), and {@code zone} on every row is the time zone the
 * statement's month is cut in. Parsing it back gives the statement's numbers.
 *
 * <p>Spreadsheets run a cell that starts with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a
 * carriage return as a formula, and text such as a model name is chosen by others: such a cell gets a
 * leading {@code '} (OWASP's advice), which spreadsheets show as text. Numbers ({@code -1.5}) are left
 * as they are, so they still parse back as numbers.
 */
final class StatementCsv {

    static final String HEADER = "record,model,tier,token_class,currency,requests,tokens,amount,date,expires_on,zone";
    private static final Pattern FORMULA_START = Pattern.compile("[=+\\-@\t\r]");
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    private StatementCsv() {
    }

    static String write(Statement statement) {
        var out = new StringBuilder(HEADER).append("\r\n");
        for (Statement.Line line : statement.lines()) {
            row(out, statement, "usage", line.model(), line.tier(), line.tokenClass(), line.currency(), String.valueOf(line.requests()),
                    String.valueOf(line.tokens()), line.amount(), "", "");
        }
        for (Credits.Credit credit : statement.credits()) {
            row(out, statement, credit.kind() == Credits.Kind.GRANT ? "grant" : "top-up", "", "", "", credit.currency(), "", "", credit.amount(),
                    credit.createdAt().toString(), credit.expiresOn() == null ? "" : credit.expiresOn().toString());
        }
        for (Statement.Total total : statement.totals()) {
            row(out, statement, "total-usage-exact", "", "", "", total.currency(), "", "", total.usageExact(), "", "");
            row(out, statement, "total-usage", "", "", "", total.currency(), "", "", total.usage(), "", "");
            row(out, statement, "total-grants", "", "", "", total.currency(), "", "", total.grants(), "", "");
            row(out, statement, "total-top-ups", "", "", "", total.currency(), "", "", total.topUps(), "", "");
        }
        return out.toString();
    }

    private static void row(StringBuilder out, Statement statement, String... cells) {
        out.append(String.join(",", List.of(cells).stream().map(StatementCsv::quote).toList())).append(',')
                .append(quote(statement.zone())).append("\r\n");
    }

    private static String quote(String value) {
        String cell = FORMULA_START.matcher(value).lookingAt() && !NUMBER.matcher(value).matches() ? "'" + value : value;
        if (cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")) {
            return '"' + cell.replace("\"", "\"\"") + '"';
        }
        return cell;
    }
}
