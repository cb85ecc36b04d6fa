package com.nova.wallet.rest;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;

import com.nova.kit.idempotency.IdempotencyKeys;
import com.nova.kit.problem.ProblemException;
import com.nova.kit.security.Ownership;
import com.nova.kit.security.Roles;
import com.nova.wallet.WalletViews.EarnRate;
import com.nova.wallet.WalletViews.ParkedPurchase;
import com.nova.wallet.WalletViews.Reconciliation;
import com.nova.wallet.WalletViews.TransactionPage;
import com.nova.wallet.WalletViews.WalletView;
import com.nova.wallet.service.EarnRateService;
import com.nova.wallet.service.LedgerService.KeyReused;
import com.nova.wallet.service.LedgerService.Outcome;
import com.nova.wallet.service.LedgerService;
import com.nova.wallet.service.ParkedPurchaseService.NotAttributed;
import com.nova.wallet.service.ParkedPurchaseService;
import com.nova.wallet.service.WalletQueries;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Drivers see and spend only their own wallet ({@code /me}); admins read any wallet, adjust it,
 * attribute parked purchases, set earn rates and reconcile. Admin paths name a driver id; the
 * words {@code me}, {@code audit}, {@code parked-purchases}, {@code reconciliation} and
 * {@code merchants} are not driver ids.
 */
@Path("/v1/wallets")
@Produces(MediaType.APPLICATION_JSON)
public class WalletResource {

    static final String DRIVER = "{driverId: (?!(me|audit|parked-purchases|reconciliation|merchants|earn-rates)$)[A-Za-z0-9_.:\\-]{1,128}}";
    private static final String CURRENCY = "{currency: [A-Z]{3}}";

    private final WalletQueries queries;
    private final LedgerService ledger;
    private final ParkedPurchaseService parked;
    private final EarnRateService rates;
    private final SecurityIdentity identity;

    public WalletResource(WalletQueries queries, LedgerService ledger, ParkedPurchaseService parked,
            EarnRateService rates, SecurityIdentity identity) {
        this.queries = queries;
        this.ledger = ledger;
        this.parked = parked;
        this.rates = rates;
        this.identity = identity;
    }

    /** What a transaction answers: the same for the first request and every retry of its key. */
    public record TransactionAnswer(String transactionId, String kind, String status, long points, String merchantId,
            Long balance, java.time.OffsetDateTime createdAt) {
        static TransactionAnswer of(Outcome o) {
            var t = o.transaction();
            return new TransactionAnswer(t.id().toString(), t.kind(), t.status(), t.points(), t.merchantId(),
                    t.balanceAfter(), t.createdAt());
        }
    }

    @GET
    @Path("/me")
    @RolesAllowed(Roles.DRIVER)
    public Uni<WalletView> me() {
        return queries.wallet(Ownership.subject(identity));
    }

    @GET
    @Path("/me/transactions")
    @RolesAllowed(Roles.DRIVER)
    public Uni<TransactionPage> myTransactions(@QueryParam("cursor") @Pattern(regexp = "[0-9]{1,18}", message = "must be a cursor returned by a previous page") String cursor,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        return queries.transactions(Ownership.subject(identity), cursor == null ? null : Long.parseLong(cursor), limit);
    }

    @POST
    @Path("/me/redemptions")
    @RolesAllowed(Roles.DRIVER)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<TransactionAnswer>> redeem(@HeaderParam(IdempotencyKeys.HEADER) String key,
            @NotNull @Valid WalletRequests.Redemption request) {
        IdempotencyKeys.require(key, "per intended operation");
        return ledger.redeem(Ownership.subject(identity), request.merchantId(), request.amount(), key)
                .onFailure(KeyReused.class).transform(e -> IdempotencyKeys.reused("request")).map(o -> {
            if (o.rejected()) {
                throw insufficient(o);
            }
            return answer(o);
        });
    }

    @GET
    @Path(DRIVER)
    @RolesAllowed(Roles.ADMIN)
    public Uni<WalletView> wallet(@PathParam("driverId") String driverId) {
        return queries.wallet(driverId);
    }

    @GET
    @Path(DRIVER + "/transactions")
    @RolesAllowed(Roles.ADMIN)
    public Uni<TransactionPage> transactions(@PathParam("driverId") String driverId,
            @QueryParam("cursor") @Pattern(regexp = "[0-9]{1,18}", message = "must be a cursor returned by a previous page") String cursor,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        return queries.transactions(driverId, cursor == null ? null : Long.parseLong(cursor), limit);
    }

    @POST
    @Path(DRIVER + "/adjustments")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<TransactionAnswer>> adjust(@PathParam("driverId") String driverId,
            @HeaderParam(IdempotencyKeys.HEADER) String key, @NotNull @Valid WalletRequests.Adjustment request) {
        IdempotencyKeys.require(key, "per intended operation");
        return ledger.adjust(driverId, request.direction() == WalletRequests.Direction.CREDIT, request.amount(),
                request.reason(), key, Ownership.subject(identity))
                .onFailure(KeyReused.class).transform(e -> IdempotencyKeys.reused("request")).map(o -> {
                    if (o.rejected()) {
                        throw insufficient(o);
                    }
                    return answer(o);
                });
    }

    @GET
    @Path("/parked-purchases")
    @RolesAllowed(Roles.ADMIN)
    public Uni<List<ParkedPurchase>> parked(@QueryParam("open") @DefaultValue("true") boolean open,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit) {
        return queries.parked(open, limit);
    }

    @POST
    @Path("/parked-purchases/{id: [0-9]{1,18}}/attribute")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<WalletView> attribute(@PathParam("id") long id, @NotNull @Valid WalletRequests.Attribution request) {
        return parked.attribute(id, request.driverId(), Ownership.subject(identity))
                .onFailure(NotAttributed.class).transform(e -> notAttributed((NotAttributed) e))
                .chain(() -> queries.wallet(request.driverId()));
    }

    @GET
    @Path("/reconciliation")
    @RolesAllowed(Roles.ADMIN)
    public Uni<Reconciliation> reconcile() {
        return queries.reconcile();
    }

    @GET
    @Path("/merchants/{merchantId: [A-Za-z0-9_.:\\-]{1,128}}/earn-rate")
    @RolesAllowed(Roles.ADMIN)
    public Uni<EarnRate> earnRate(@PathParam("merchantId") String merchantId) {
        return rates.get(merchantId);
    }

    @PUT
    @Path("/merchants/{merchantId: [A-Za-z0-9_.:\\-]{1,128}}/earn-rate")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<EarnRate> setEarnRate(@PathParam("merchantId") String merchantId,
            @NotNull @Valid WalletRequests.EarnRateChange request) {
        return rates.set(merchantId, request.pointsPerUnit(), Ownership.subject(identity));
    }

    /** A merchant's rate for a currency other than the program's. */
    @GET
    @Path("/merchants/{merchantId: [A-Za-z0-9_.:\\-]{1,128}}/earn-rates/" + CURRENCY)
    @RolesAllowed(Roles.ADMIN)
    public Uni<EarnRate> currencyRate(@PathParam("merchantId") String merchantId, @PathParam("currency") String currency) {
        return rates.getForCurrency(merchantId, currency).map(WalletResource::found);
    }

    @PUT
    @Path("/merchants/{merchantId: [A-Za-z0-9_.:\\-]{1,128}}/earn-rates/" + CURRENCY)
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<EarnRate> setCurrencyRate(@PathParam("merchantId") String merchantId, @PathParam("currency") String currency,
            @NotNull @Valid WalletRequests.EarnRateChange request) {
        requireForeign(currency);
        return rates.setForCurrency(merchantId, currency, request.pointsPerUnit(), Ownership.subject(identity));
    }

    /** The rate for a currency other than the program's at every merchant without its own. */
    @GET
    @Path("/earn-rates/" + CURRENCY)
    @RolesAllowed(Roles.ADMIN)
    public Uni<EarnRate> programCurrencyRate(@PathParam("currency") String currency) {
        return rates.getForCurrency("*", currency).map(WalletResource::found);
    }

    @PUT
    @Path("/earn-rates/" + CURRENCY)
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<EarnRate> setProgramCurrencyRate(@PathParam("currency") String currency,
            @NotNull @Valid WalletRequests.EarnRateChange request) {
        requireForeign(currency);
        return rates.setForCurrency("*", currency, request.pointsPerUnit(), Ownership.subject(identity));
    }

    /** Currency rates are for other currencies: the program currency's are the merchant rate and the default. */
    private void requireForeign(String currency) {
        if (rates.isProgramCurrency(currency)) {
            throw ProblemException.invalidField("currency", "is the program currency: its rates are the merchant rate "
                    + "(PUT .../merchants/{id}/earn-rate) and WALLET_DEFAULT_EARN_RATE");
        }
    }

    private static EarnRate found(EarnRate rate) {
        if (rate == null) {
            throw ProblemException.notFound("earn rate");
        }
        return rate;
    }

    private static ProblemException notAttributed(NotAttributed e) {
        return switch (e.reason()) {
            case NOT_ATTRIBUTABLE -> new ProblemException(409, "not-attributable",
                    "This parked purchase does not exist or was attributed already");
            case NO_EARN_RATE -> new ProblemException(409, "no-earn-rate",
                    "No earn rate is set for " + e.currency() + ": set one, then attribute again");
        };
    }

    private static RestResponse<TransactionAnswer> answer(Outcome o) {
        return IdempotencyKeys.mark(RestResponse.ResponseBuilder.<TransactionAnswer>create(RestResponse.Status.CREATED)
                .entity(TransactionAnswer.of(o)), o.replayed()).build();
    }

    private static ProblemException insufficient(Outcome o) {
        return new ProblemException(409, "insufficient-balance",
                "The balance does not cover " + o.transaction().points() + " points", null,
                IdempotencyKeys.headers(o.replayed()));
    }
}
