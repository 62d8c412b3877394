package io.maas.tenant.pricing;

import io.maas.pricing.Charge;
import io.maas.pricing.ChargeLine;
import io.maas.pricing.PriceBook;
import io.maas.pricing.PriceBookVersion;
import io.maas.pricing.TokenUsage;
import io.maas.tenant.system.ApiException;
import io.maas.tenant.system.CurrentCaller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Instant;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import java.util.List;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/pricing/quote}: the exact price of a request that completes at {@code at},
 * computed by the same library call the gateway settles with ({@link PriceBook#quote} is
 * {@link PriceBook#charge} with start = completion = {@code at}), so a quote is what the ledger would
 * charge. The amount is exact, as a decimal string: nothing is rounded here. Any signed-in user;
 * without {@code priceBook}, the book of the caller's tenant (platform roles: the platform default).
 */
@RestController
class QuoteController {

    record QuoteRequest(String priceBook,
                        @NotBlank String model,
                        @NotNull Instant at,
                        @NotNull @PositiveOrZero Long promptCacheHitTokens,
                        @NotNull @PositiveOrZero Long promptCacheMissTokens,
                        @NotNull @PositiveOrZero Long completionTokens) {
    }

    record Line(String tokenClass, long tokens, String pricePerMillion, String amount) {
    }

    record Quote(String amount, String currency, String tier, String priceBook, String priceBookVersion,
                 Instant versionEffectiveFrom, String model, Instant pricedAt, List<Line> lines) {

        static Quote of(Charge charge) {
            return new Quote(charge.amount().toPlainString(), charge.currency().name(), charge.tier(), charge.priceBook(),
                    charge.priceBookVersion(), charge.versionEffectiveFrom(), charge.model(), charge.pricedAt(),
                    charge.lines().stream().map(QuoteController::line).toList());
        }
    }

    private final PriceBooks books;
    private final JdbcClient jdbc;

    QuoteController(PriceBooks books, JdbcClient jdbc) {
        this.books = books;
        this.jdbc = jdbc;
    }

    @PostMapping("/api/v1/pricing/quote")
    Quote quote(@Valid @RequestBody QuoteRequest request) {
        PriceBook book = request.priceBook() == null ? books.callersBook() : books.visible(request.priceBook());
        if (request.at().isBefore(book.versions().getFirst().effectiveFrom())) {
            throw ApiException.badRequest("Price book '" + book.name() + "' has no version in force at " + request.at()
                    + "; its first version applies from " + book.versions().getFirst().effectiveFrom() + ".");
        }
        // A deployment's served name is quoted as its catalog model unless the book names it (as at settlement).
        String catalogModel = jdbc.sql("SELECT COALESCE(served_model_catalog(?, ?), ?)")
                .params(CurrentCaller.get().tenantId(), request.model(), request.model()).query(String.class).single();
        PriceBookVersion version = book.versionAt(request.at());
        if (!version.models().containsKey(request.model()) && !version.models().containsKey(catalogModel)) {
            throw new ApiException(HttpStatus.NOT_FOUND, "Price book '" + book.name() + "' version '" + version.version()
                    + "' has no price for model '" + request.model() + "'"
                    + (catalogModel.equals(request.model()) ? "" : " nor its catalog model '" + catalogModel + "'")
                    + "; it prices " + version.models().keySet() + ".");
        }
        var usage = new TokenUsage(request.promptCacheHitTokens(), request.promptCacheMissTokens(), request.completionTokens());
        return Quote.of(book.charge(request.model(), catalogModel, request.at(), request.at(), usage));
    }

    private static Line line(ChargeLine line) {
        return new Line(line.tokenClass().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), line.tokens(),
                line.pricePerMillion().toPlainString(), line.amount().toPlainString());
    }
}
