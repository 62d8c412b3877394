package io.maas.pricing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * A named price book: its versions ordered by the instant each comes into force, and the rule for
 * which instant of a request decides its price.
 *
 * <p><b>History is never edited.</b> Versions are strictly ordered by {@code effectiveFrom}; a
 * version applies from its instant until the next one's. {@link #withVersion} only appends a
 * version later than the latest one and not in the past, so no settled request changes price.
 *
 * <p><b>The deciding instant</b> ({@link DecidingInstant}, default {@code COMPLETION} as DeepSeek
 * bills) picks the version and the tier together: a request started at 16:29 UTC and completed at
 * 16:31 UTC is priced entirely off-peak under deepseek-2025 by completion, entirely peak by start.
 * A model keeps its currency across the versions of a book.
 *
 * @param name            the book's name, e.g. "deepseek-2026"
 * @param decidingInstant which instant of a request decides version and tier (optional, defaults to COMPLETION)
 * @param versions        the versions, oldest first
 */
public record PriceBook(String name, DecidingInstant decidingInstant, List<PriceBookVersion> versions) {

    public PriceBook {
        if (name == null || name.isBlank()) {
            throw new InvalidPriceBookException("name", "is required");
        }
        decidingInstant = decidingInstant == null ? DecidingInstant.COMPLETION : decidingInstant;
        versions = versions == null ? List.of() : List.copyOf(versions);
        if (versions.isEmpty()) {
            throw new InvalidPriceBookException("versions", "must have at least one version");
        }
        Set<String> ids = new HashSet<>();
        Map<String, Currency> currencies = new HashMap<>();
        for (int i = 0; i < versions.size(); i++) {
            PriceBookVersion version = versions.get(i);
            if (!ids.add(version.version())) {
                throw new InvalidPriceBookException("versions[" + i + "].version", "version '" + version.version() + "' appears twice");
            }
            if (i > 0 && !version.effectiveFrom().isAfter(versions.get(i - 1).effectiveFrom())) {
                throw new InvalidPriceBookException("versions[" + i + "].effectiveFrom", version.effectiveFrom()
                        + " is not after the previous version's " + versions.get(i - 1).effectiveFrom() + "; versions are ordered by effective instant");
            }
            for (Map.Entry<String, ModelPrices> model : version.models().entrySet()) {
                Currency earlier = currencies.putIfAbsent(model.getKey(), model.getValue().currency());
                if (earlier != null && earlier != model.getValue().currency()) {
                    throw new InvalidPriceBookException("versions[" + i + "].models." + model.getKey() + ".currency",
                            "was " + earlier + " in an earlier version; a model keeps its currency in a book (start a new book to change it)");
                }
            }
        }
    }

    /** A book with one version. */
    public static PriceBook of(String name, DecidingInstant decidingInstant, PriceBookVersion version) {
        return new PriceBook(name, decidingInstant, List.of(version));
    }

    /** The version in force at {@code instant}: the latest one whose {@code effectiveFrom} is not after it. */
    public PriceBookVersion versionAt(Instant instant) {
        for (int i = versions.size() - 1; i >= 0; i--) {
            if (!versions.get(i).effectiveFrom().isAfter(instant)) {
                return versions.get(i);
            }
        }
        throw new IllegalArgumentException("price book '" + name + "' has no version in force at " + instant
                + "; its first version applies from " + versions.getFirst().effectiveFrom());
    }

    /**
     * This book with {@code next} appended. Refused when {@code next} is not later than the latest
     * version (that would edit history) or takes effect before {@code now} (that would reprice
     * requests already settled).
     */
    public PriceBook withVersion(PriceBookVersion next, Instant now) {
        PriceBookVersion latest = versions.getLast();
        String field = "versions[" + versions.size() + "].effectiveFrom";
        if (!next.effectiveFrom().isAfter(latest.effectiveFrom())) {
            throw new InvalidPriceBookException(field, next.effectiveFrom() + " is not after the latest version '" + latest.version()
                    + "' (" + latest.effectiveFrom() + "); history is never edited, a new version must be later");
        }
        if (next.effectiveFrom().isBefore(now)) {
            throw new InvalidPriceBookException(field, next.effectiveFrom() + " is in the past (now " + now
                    + "); a new version applies from now on, never to requests already priced");
        }
        List<PriceBookVersion> all = new ArrayList<>(versions);
        all.add(next);
        return new PriceBook(name, decidingInstant, all);
    }

    /**
     * The exact price of a request of {@code model} that started at {@code start} and completed at
     * {@code completion}: version and tier at the {@linkplain #decidingInstant deciding instant};
     * each line is {@code tokens × price per million / 1,000,000} exactly, the amount their exact sum.
     */
    public Charge charge(String model, Instant start, Instant completion, TokenUsage usage) {
        return charge(model, start, completion, usage, PriceClass.ONLINE);
    }

    /**
     * {@link #charge(String, Instant, Instant, TokenUsage)} in a price class: a {@link PriceClass#BATCH} request is
     * priced in the batch class of the version in force at the deciding instant, tier {@value BatchClass#TIER}, or,
     * when that version has none, as an online request.
     */
    public Charge charge(String model, Instant start, Instant completion, TokenUsage usage, PriceClass priceClass) {
        return charge(model, start, completion, usage, priceClass, TierSchedule::tierAt);
    }

    private Charge charge(String model, Instant start, Instant completion, TokenUsage usage, PriceClass priceClass,
                          BiFunction<TierSchedule, Instant, Tier> tierAt) {
        requireOrdered(start, completion);
        Instant pricedAt = decidingInstant == DecidingInstant.START ? start : completion;
        PriceBookVersion version = versionAt(pricedAt);
        boolean batch = priceClass == PriceClass.BATCH && !version.batch().isNone();
        String tier;
        ModelPrices prices;
        if (batch) {
            tier = BatchClass.TIER;
            prices = version.batchPrices(model);
        } else {
            Tier inForce = tierAt.apply(version.schedule(), pricedAt);
            tier = inForce.name();
            prices = version.prices(model, inForce);
        }
        List<ChargeLine> lines = new ArrayList<>();
        BigDecimal amount = BigDecimal.ZERO;
        for (TokenClass tokenClass : TokenClass.values()) {
            long tokens = usage.tokens(tokenClass);
            BigDecimal lineAmount = Decimals.amount(tokens, prices.perMillion(tokenClass));
            lines.add(new ChargeLine(tokenClass, tokens, prices.perMillion(tokenClass), lineAmount));
            amount = amount.add(lineAmount);
        }
        return new Charge(name, version.version(), version.effectiveFrom(), model, tier, pricedAt, prices.currency(),
                Decimals.normalize(amount), lines);
    }

    /**
     * {@link #charge} of a request for {@code servedName}, a private deployment's name for
     * {@code catalogModel}: priced as the catalog model unless the version in force names the served
     * name itself (a price for that name wins). {@code catalogModel} equal to {@code servedName} when
     * the name is no deployment's.
     */
    public Charge charge(String servedName, String catalogModel, Instant start, Instant completion, TokenUsage usage) {
        return charge(servedName, catalogModel, start, completion, usage, PriceClass.ONLINE);
    }

    /** {@link #charge(String, String, Instant, Instant, TokenUsage)} in a price class, as {@link #charge(String, Instant, Instant, TokenUsage, PriceClass)}. */
    public Charge charge(String servedName, String catalogModel, Instant start, Instant completion, TokenUsage usage, PriceClass priceClass) {
        return charge(servedName, catalogModel, start, completion, usage, priceClass, TierSchedule::tierAt);
    }

    private Charge charge(String servedName, String catalogModel, Instant start, Instant completion, TokenUsage usage,
                          PriceClass priceClass, BiFunction<TierSchedule, Instant, Tier> tierAt) {
        requireOrdered(start, completion);
        Instant pricedAt = decidingInstant == DecidingInstant.START ? start : completion;
        return charge(pricedAs(servedName, catalogModel, pricedAt), start, completion, usage, priceClass, tierAt);
    }

    /**
     * A pricer of many requests with this book, for a settlement batch: it charges exactly what
     * {@link #charge(String, String, Instant, Instant, TokenUsage, PriceClass)} charges, but looks each version's tier up
     * once per span in which it stays in force ({@link TierSchedule#spanAt}), not once per request, as requests settled
     * together completed close together. Not for concurrent use.
     */
    public Pricer pricer() {
        return new Pricer(this);
    }

    /** See {@link #pricer()}. */
    public static final class Pricer {

        private final PriceBook book;
        /** The span of the last instant priced, per schedule (the schedule of a version of this book). */
        private final Map<TierSchedule, TierSchedule.Span> spans = new IdentityHashMap<>();

        private Pricer(PriceBook book) {
            this.book = book;
        }

        /** {@link PriceBook#charge(String, String, Instant, Instant, TokenUsage, PriceClass)}. */
        public Charge charge(String servedName, String catalogModel, Instant start, Instant completion, TokenUsage usage,
                             PriceClass priceClass) {
            return book.charge(servedName, catalogModel, start, completion, usage, priceClass, this::tierAt);
        }

        private Tier tierAt(TierSchedule schedule, Instant instant) {
            TierSchedule.Span span = spans.get(schedule);
            if (span == null || !span.contains(instant)) {
                span = schedule.spanAt(instant);
                spans.put(schedule, span);
            }
            return span.tier();
        }
    }

    /**
     * Whether a batch that did not ask to run sooner may run at {@code at}: the version in force then has no batch
     * class, or the tier in force is one its batch class runs in ({@link BatchClass#runIn}).
     */
    public boolean batchRunsAt(Instant at) {
        PriceBookVersion version = versionAt(at);
        return version.batch().isNone() || version.batch().runIn().contains(version.schedule().tierAt(at).name());
    }

    /** The model whose prices apply at {@code at} to {@code servedName}, a name of {@code catalogModel}: see {@link #charge(String, String, Instant, Instant, TokenUsage)}. */
    public String pricedAs(String servedName, String catalogModel, Instant at) {
        return versionAt(at).models().containsKey(servedName) ? servedName : catalogModel;
    }

    /**
     * Whether every version of this book in force at {@code from} or later prices {@code servedName},
     * directly or as {@code catalogModel}: a request for it from then on cannot go unpriced by this book.
     */
    public boolean pricesFrom(Instant from, String servedName, String catalogModel) {
        boolean inForce = false;
        for (int i = versions.size() - 1; i >= 0 && !inForce; i--) {
            PriceBookVersion version = versions.get(i);
            inForce = !version.effectiveFrom().isAfter(from);
            if (!version.models().containsKey(servedName) && !version.models().containsKey(catalogModel)) {
                return false;
            }
        }
        return true;
    }

    /** A quote for a request that starts and completes at {@code at}: exactly what {@link #charge} would charge. */
    public Charge quote(String model, Instant at, TokenUsage usage) {
        return charge(model, at, at, usage);
    }

    /**
     * The highest price per million tokens, per token class, that can apply to a request of
     * {@code model} that starts at {@code start} and completes at the latest at
     * {@code latestCompletion} — what admission control reserves. By start, that is the price at
     * {@code start}; by completion, the maximum over every version and tier in force at some
     * instant of {@code [start, latestCompletion]} (exact: tiers are looked at on every instant where
     * they may change, see {@link TierSchedule}).
     */
    public ModelPrices maxPrices(String model, Instant start, Instant latestCompletion) {
        return maxPrices(model, start, latestCompletion, PriceClass.ONLINE);
    }

    /**
     * {@link #maxPrices(String, Instant, Instant)} of a request in {@code priceClass}: for a batch request, the batch
     * prices of every version that can be in force (tier prices where a version has no batch class).
     */
    public ModelPrices maxPrices(String model, Instant start, Instant latestCompletion, PriceClass priceClass) {
        requireOrdered(start, latestCompletion);
        NavigableSet<Instant> candidates = new TreeSet<>();
        candidates.add(start);
        if (decidingInstant == DecidingInstant.COMPLETION) {
            for (PriceBookVersion version : versionsInForce(start, latestCompletion)) {
                if (version.effectiveFrom().isAfter(start)) {
                    candidates.add(version.effectiveFrom());
                }
                candidates.addAll(version.schedule().changesBetween(start, latestCompletion));
            }
        }
        ModelPrices max = null;
        for (Instant instant : candidates) {
            PriceBookVersion version = versionAt(instant);
            ModelPrices prices = priceClass == PriceClass.BATCH && !version.batch().isNone()
                    ? version.batchPrices(model)
                    : version.prices(model, version.schedule().tierAt(instant));
            max = max == null ? prices : max.max(prices);
        }
        return max;
    }

    private List<PriceBookVersion> versionsInForce(Instant from, Instant to) {
        int first = versions.indexOf(versionAt(from));
        int last = versions.indexOf(versionAt(to));
        return versions.subList(first, last + 1);
    }

    private static void requireOrdered(Instant start, Instant completion) {
        if (completion.isBefore(start)) {
            throw new IllegalArgumentException("completion " + completion + " is before start " + start);
        }
    }
}
