package io.maas.pricing;

import static io.maas.pricing.TestBooks.usage;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeepSeek2026TemplateTests {

    private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

    private final PriceBook book = PriceBookTemplates.load(PriceBookTemplates.DEEPSEEK_2026);

    private Charge quoteAtBeijingTime(String localDateTime, TokenUsage usage) {
        return book.quote("deepseek-flash", LocalDateTime.parse(localDateTime).atZone(BEIJING).toInstant(), usage);
    }

    private String tierAtBeijingTime(String localDateTime) {
        return quoteAtBeijingTime(localDateTime, usage(0, 0, 1)).tier();
    }

    @ParameterizedTest(name = "{0} Beijing ({2}) is {1}")
    @CsvSource({
            "2026-03-16T08:59:59.999, off-peak, Monday",
            "2026-03-16T09:00,        peak,     Monday",
            "2026-03-16T11:59:59.999, peak,     Monday",
            "2026-03-16T12:00,        off-peak, Monday",
            "2026-03-16T13:59:59.999, off-peak, Monday",
            "2026-03-16T14:00,        peak,     Monday",
            "2026-03-16T17:59:59.999, peak,     Monday",
            "2026-03-16T18:00,        off-peak, Monday",
            "2026-03-20T10:00,        peak,     Friday",
            "2026-03-07T10:00,        off-peak, Saturday",
            "2026-03-08T15:00,        off-peak, Sunday",
            "2026-10-02T10:00,        off-peak, 'Friday, National Day holiday'",
            "2026-02-16T15:00,        off-peak, 'Monday, Spring Festival holiday'",
            "2026-09-20T10:00,        peak,     'Sunday, make-up working day'",
            "2026-09-20T12:30,        off-peak, 'Sunday, make-up working day, lunch'",
            "2026-10-10T10:00,        peak,     'Saturday, make-up working day'",
            "2026-10-10T14:00,        peak,     'Saturday, make-up working day'",
            "2026-01-04T18:00,        off-peak, 'Sunday, make-up working day, evening'"
    })
    void peakIsWorkingDays0900To1200And1400To1800BeijingTime(String localDateTime, String tier, String day) {
        assertThat(tierAtBeijingTime(localDateTime)).as(day).isEqualTo(tier);
    }

    @Test
    void offPeakIsHalfOfPeakExactly() {
        TokenUsage usage = usage(1_000_000, 1_234_567, 0);

        Charge peak = quoteAtBeijingTime("2026-03-16T11:59:59.999", usage);
        Charge offPeak = quoteAtBeijingTime("2026-03-16T12:00", usage);

        assertThat(peak.amount()).isEqualTo("2.509134");
        assertThat(offPeak.amount()).isEqualTo("1.254567");
        assertThat(offPeak.lines()).extracting(ChargeLine::amount).map(Object::toString).containsExactly("0.02", "1.234567", "0");
    }

    @Test
    void templateCarriesTheBundled2026Calendar() {
        HolidayCalendar calendar = book.versions().getFirst().schedule().calendar();

        assertThat(calendar).isEqualTo(PriceBookTemplates.calendar("cn-2026"));
        assertThat(calendar.holidays()).hasSize(7);
        assertThat(calendar.makeUpWorkingDays()).hasSize(6);
    }
}
