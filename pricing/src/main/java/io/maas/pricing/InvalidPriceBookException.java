package io.maas.pricing;

/**
 * A price book, calendar or one of their parts breaks a rule. {@link #field()} names the offending
 * field, as a path from the price book's root when the book was read from JSON (for example
 * {@code versions[0].models.deepseek-chat.cacheMiss}), otherwise relative to the object built.
 */
public class InvalidPriceBookException extends IllegalArgumentException {

    private final String field;
    private final String problem;

    public InvalidPriceBookException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
        this.problem = problem;
    }

    /** The path of the offending field. */
    public String field() {
        return field;
    }

    /** What is wrong with it, without the field. */
    public String problem() {
        return problem;
    }

    /** The same problem, with {@code parent} put in front of the field's path. */
    InvalidPriceBookException under(String parent) {
        return new InvalidPriceBookException(parent.isEmpty() ? field : parent + "." + field, problem);
    }
}
