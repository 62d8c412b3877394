/**
 * Price books, time-of-day tiers and exact request pricing: the one implementation of the pricing
 * rules, a plain Java library with no Spring, used by the gateway (settlement, reservation) and by
 * tenant-service (quotes, statements, storing books as JSON).
 *
 * <p>Where each rule is written down:
 * <ul>
 *   <li>versions and which instant decides version and tier — {@link io.maas.pricing.PriceBook};</li>
 *   <li>how a tier is chosen, daylight saving — {@link io.maas.pricing.TierSchedule};</li>
 *   <li>windows wrapping midnight — {@link io.maas.pricing.TimeWindow}; which day a window belongs to —
 *       {@link io.maas.pricing.TierRule};</li>
 *   <li>the batch price class and when batches run — {@link io.maas.pricing.BatchClass}, {@link io.maas.pricing.PriceClass};</li>
 *   <li>holidays and make-up working days — {@link io.maas.pricing.HolidayCalendar};</li>
 *   <li>exact amounts — {@link io.maas.pricing.Charge}; the only rounding — {@link io.maas.pricing.StatementRounding};</li>
 *   <li>JSON and validation — {@link io.maas.pricing.PricingJson}, {@link io.maas.pricing.InvalidPriceBookException};</li>
 *   <li>built-in books {@code deepseek-2025} and {@code deepseek-2026} — {@link io.maas.pricing.PriceBookTemplates}.</li>
 * </ul>
 */
package io.maas.pricing;
