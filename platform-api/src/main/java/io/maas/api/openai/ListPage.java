package io.maas.api.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A page of a list OpenAI paginates with {@code after} and {@code limit} ({@code /v1/files}, {@code /v1/batches}):
 * the items, the ids of the first and last, and whether more follow the last.
 */
public record ListPage<T>(String object, List<T> data, @JsonProperty("first_id") String firstId,
                          @JsonProperty("last_id") String lastId, @JsonProperty("has_more") boolean hasMore) {

    /** A page of {@code items}, of which {@code id} gives each one's id. */
    public static <T> ListPage<T> of(List<T> items, java.util.function.Function<T, String> id, boolean hasMore) {
        return new ListPage<>("list", List.copyOf(items), items.isEmpty() ? null : id.apply(items.getFirst()),
                items.isEmpty() ? null : id.apply(items.getLast()), hasMore);
    }
}
