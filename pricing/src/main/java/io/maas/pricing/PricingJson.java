package io.maas.pricing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON for price books, holiday calendars and charges, as tenant-service stores them (JSONB) and
 * shows them in its API. Prices and amounts are written as strings in plain decimal notation and
 * read from strings or JSON numbers, both exactly; instants are ISO-8601, local times "HH:mm".
 *
 * <p>Reading validates: anything wrong comes out as an {@link InvalidPriceBookException} whose
 * field is the path from the document's root, e.g. {@code versions[0].schedule.timezone}. Unknown
 * properties are refused, so a misspelt field is not silently ignored.
 */
public final class PricingJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private PricingJson() {
    }

    /** The mapper this class uses, for callers that embed price books in their own documents. */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    /** A price book from its JSON. */
    public static PriceBook readPriceBook(String json) {
        return read(() -> MAPPER.readValue(json, PriceBook.class));
    }

    /** A holiday calendar in the format of {@code cn-2026.json}. */
    public static HolidayCalendar readCalendar(String json) {
        return read(() -> MAPPER.readValue(json, HolidayCalendar.class));
    }

    /** A holiday calendar in the format of {@code cn-2026.json}. */
    public static HolidayCalendar readCalendar(InputStream json) {
        return read(() -> MAPPER.readValue(json, HolidayCalendar.class));
    }

    /** A price book, calendar or charge as JSON. */
    public static String write(Object value) {
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    }

    static <T> T read(InputStream json, Class<T> type) {
        return read(() -> MAPPER.readValue(json, type));
    }

    private interface Reading<T> {
        T read() throws IOException;
    }

    private static <T> T read(Reading<T> reading) {
        try {
            return reading.read();
        } catch (DatabindException e) {
            String path = path(e.getPath());
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof InvalidPriceBookException invalid) {
                    throw invalid.under(path);
                }
            }
            throw new InvalidPriceBookException(path.isEmpty() ? "$" : path, e.getOriginalMessage());
        } catch (JacksonException e) {
            throw new InvalidPriceBookException("$", "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Jackson's reference chain as a field path: {@code versions[0].models.deepseek-chat}. */
    private static String path(List<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : references) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
