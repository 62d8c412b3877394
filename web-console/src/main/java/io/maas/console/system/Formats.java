package io.maas.console.system;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.time.format.TextStyle;
import java.util.Currency;
import java.util.Locale;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Numbers, money and times as the viewer reads them, used by the templates as {@code @formats}:
 * grouping and decimal marks of the viewer's language; times in the viewer's time zone (the
 * browser's, which every page stores in the {@code console-tz} cookie; UTC until it has) with the zone
 * named. Money is shown as given (exact amounts keep their digits, at least two); nothing here rounds
 * an amount except {@link #money2}, which says so.
 */
@Component("formats")
public class Formats {

    static final String ZONE_COOKIE = "console-tz";

    public String number(long value) {
        return NumberFormat.getIntegerInstance(locale()).format(value);
    }

    /** A share 0..1 as a percentage with one decimal. */
    public String percent(double share) {
        NumberFormat format = NumberFormat.getPercentInstance(locale());
        format.setMaximumFractionDigits(1);
        format.setMinimumFractionDigits(1);
        return format.format(share);
    }

    /** An exact amount with its currency, every digit kept (at least two decimals). */
    public String money(String amount, String currency) {
        if (amount == null) {
            return "";
        }
        BigDecimal value = new BigDecimal(amount);
        return currencyFormat(currency, Math.max(2, value.stripTrailingZeros().scale())).format(value);
    }

    /** An amount rounded half-even to 0.01 (the statements' rule), for charts and summaries. */
    public String money2(String amount, String currency) {
        return amount == null ? "" : currencyFormat(currency, 2).format(new BigDecimal(amount).setScale(2, RoundingMode.HALF_EVEN));
    }

    /** An instant as date and time in the viewer's zone, with the zone named. */
    public String time(Instant instant) {
        if (instant == null) {
            return "";
        }
        ZoneId zone = zone();
        return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM).withLocale(locale()).format(instant.atZone(zone))
                + " " + zoneName(zone);
    }

    /** The viewer's zone, named as people know it ("China Standard Time (Asia/Shanghai)"). */
    public String zoneName() {
        return zoneName(zone());
    }

    public ZoneId zone() {
        var attributes = RequestContextHolder.getRequestAttributes();
        if (attributes instanceof ServletRequestAttributes servlet) {
            return zoneOf(servlet.getRequest());
        }
        return ZoneOffset.UTC;
    }

    static ZoneId zoneOf(HttpServletRequest request) {
        if (request.getCookies() != null) {
            for (Cookie cookie : request.getCookies()) {
                if (ZONE_COOKIE.equals(cookie.getName())) {
                    try {
                        return ZoneId.of(java.net.URLDecoder.decode(cookie.getValue(), java.nio.charset.StandardCharsets.UTF_8));
                    } catch (DateTimeException | IllegalArgumentException invalid) {
                        return ZoneOffset.UTC;
                    }
                }
            }
        }
        return ZoneOffset.UTC;
    }

    private String zoneName(ZoneId zone) {
        String id = zone.getId();
        if (zone instanceof ZoneOffset) {
            return id.equals("Z") ? "UTC" : "UTC" + id;
        }
        return zone.getDisplayName(TextStyle.FULL, locale()) + " (" + id + ")";
    }

    private NumberFormat currencyFormat(String currency, int digits) {
        NumberFormat format = NumberFormat.getCurrencyInstance(locale());
        format.setCurrency(Currency.getInstance(currency));
        format.setMinimumFractionDigits(digits);
        format.setMaximumFractionDigits(digits);
        return format;
    }

    private static Locale locale() {
        return LocaleContextHolder.getLocale();
    }
}
