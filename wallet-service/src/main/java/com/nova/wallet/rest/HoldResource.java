package com.nova.wallet.rest;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import java.util.function.Predicate;

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
import com.nova.wallet.WalletViews.HoldPage;
import com.nova.wallet.WalletViews.HoldView;
import com.nova.wallet.config.WalletConfig;
import com.nova.wallet.service.HoldService;
import com.nova.wallet.service.HoldService.NoSuchHold;
import com.nova.wallet.service.HoldService.Outcome;
import com.nova.wallet.service.LedgerService.KeyReused;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Holds for charging sessions. The driver holds points when a session starts
 * ({@code POST /me/holds}); when it ends, the charger's backend (the {@code merchant} role, its
 * {@code sub} the merchant the hold was made to), the driver or an admin captures what it cost
 * ({@code .../capture}) or voids it. A hold nobody ends expires. Anyone else is told the hold
 * does not exist.
 */
@Path("/v1/wallets")
@Produces(MediaType.APPLICATION_JSON)
public class HoldResource {

    private static final String HOLD = "{holdId: [0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}}";
    private static final String STATUS = "active|captured|voided|expired";
    private static final Duration SHORTEST = Duration.ofMinutes(1);

    private final HoldService holds;
    private final WalletConfig.Holds config;
    private final SecurityIdentity identity;

    public HoldResource(HoldService holds, WalletConfig config, SecurityIdentity identity) {
        this.holds = holds;
        this.config = config.holds();
        this.identity = identity;
        if (this.config.defaultExpiry().compareTo(SHORTEST) < 0 || this.config.defaultExpiry().compareTo(this.config.maxExpiry()) > 0) {
            throw new IllegalStateException("wallet.holds.default-expiry must be from 1 minute to wallet.holds.max-expiry");
        }
    }

    @POST
    @Path("/me/holds")
    @RolesAllowed(Roles.DRIVER)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<HoldView>> hold(@HeaderParam(IdempotencyKeys.HEADER) String key, @NotNull @Valid WalletRequests.Hold request) {
        IdempotencyKeys.require(key, "per charging session");
        Duration expiresIn = expiresIn(request.expiresIn());
        return holds.hold(Ownership.subject(identity), request.merchantId(), request.amount(), expiresIn, key)
                .onFailure(KeyReused.class).transform(e -> IdempotencyKeys.reused("request"))
                .map(o -> answer(o, RestResponse.Status.CREATED));
    }

    @GET
    @Path("/me/holds")
    @RolesAllowed(Roles.DRIVER)
    public Uni<HoldPage> myHolds(@QueryParam("status") @Pattern(regexp = STATUS, message = "must be active, captured, voided or expired") String status,
            @QueryParam("cursor") @Pattern(regexp = "[0-9]{1,18}", message = "must be a cursor returned by a previous page") String cursor,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        return holds.list(Ownership.subject(identity), status, cursor == null ? null : Long.parseLong(cursor), limit);
    }

    @GET
    @Path("/me/holds/" + HOLD)
    @RolesAllowed(Roles.DRIVER)
    public Uni<HoldView> myHold(@PathParam("holdId") String holdId) {
        return holds.find(Ownership.subject(identity), UUID.fromString(holdId)).map(HoldResource::found);
    }

    @POST
    @Path("/me/holds/" + HOLD + "/capture")
    @RolesAllowed(Roles.DRIVER)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<HoldView>> captureMine(@PathParam("holdId") String holdId, @HeaderParam(IdempotencyKeys.HEADER) String key,
            @NotNull @Valid WalletRequests.Capture request) {
        return capture(Ownership.subject(identity), holdId, key, request);
    }

    @POST
    @Path("/me/holds/" + HOLD + "/void")
    @RolesAllowed(Roles.DRIVER)
    public Uni<RestResponse<HoldView>> voidMine(@PathParam("holdId") String holdId) {
        return voidHold(Ownership.subject(identity), holdId);
    }

    /** A hold as its merchant (the charger's backend) or an admin sees it; its driver sees it here too. */
    @GET
    @Path(WalletResource.DRIVER + "/holds/" + HOLD)
    @RolesAllowed({ Roles.DRIVER, Roles.MERCHANT, Roles.ADMIN })
    public Uni<HoldView> hold(@PathParam("driverId") String driverId, @PathParam("holdId") String holdId) {
        return holds.find(driverId, UUID.fromString(holdId)).map(h -> h != null && mayAct().test(h) ? h : null)
                .map(HoldResource::found);
    }

    @POST
    @Path(WalletResource.DRIVER + "/holds/" + HOLD + "/capture")
    @RolesAllowed({ Roles.DRIVER, Roles.MERCHANT, Roles.ADMIN })
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<HoldView>> capture(@PathParam("driverId") String driverId, @PathParam("holdId") String holdId,
            @HeaderParam(IdempotencyKeys.HEADER) String key, @NotNull @Valid WalletRequests.Capture request) {
        IdempotencyKeys.require(key, "per capture");
        return holds.capture(driverId, UUID.fromString(holdId), request.amount(), key, Ownership.subject(identity), mayAct())
                .onFailure(KeyReused.class).transform(e -> IdempotencyKeys.reused("request"))
                .onFailure(NoSuchHold.class).transform(e -> ProblemException.notFound("hold"))
                .map(o -> answer(o, RestResponse.Status.OK));
    }

    @POST
    @Path(WalletResource.DRIVER + "/holds/" + HOLD + "/void")
    @RolesAllowed({ Roles.DRIVER, Roles.MERCHANT, Roles.ADMIN })
    public Uni<RestResponse<HoldView>> voidHold(@PathParam("driverId") String driverId, @PathParam("holdId") String holdId) {
        return holds.voidHold(driverId, UUID.fromString(holdId), Ownership.subject(identity), mayAct())
                .onFailure(KeyReused.class).transform(e -> IdempotencyKeys.reused("request"))
                .onFailure(NoSuchHold.class).transform(e -> ProblemException.notFound("hold"))
                .map(o -> answer(o, RestResponse.Status.OK));
    }

    /** Its driver, the merchant it was made to, or an admin. */
    private Predicate<HoldView> mayAct() {
        boolean admin = Ownership.isAdmin(identity);
        boolean driver = identity.hasRole(Roles.DRIVER);
        boolean merchant = identity.hasRole(Roles.MERCHANT);
        String subject = Ownership.subject(identity);
        return hold -> admin || driver && subject.equals(hold.driverId()) || merchant && subject.equals(hold.merchantId());
    }

    private Duration expiresIn(String value) {
        if (value == null) {
            return config.defaultExpiry();
        }
        Duration d;
        try {
            d = Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField("expiresIn", "must be an ISO 8601 duration such as PT2H");
        }
        if (d.compareTo(SHORTEST) < 0 || d.compareTo(config.maxExpiry()) > 0) {
            throw ProblemException.invalidField("expiresIn", "must be from PT1M to " + config.maxExpiry());
        }
        return d;
    }

    private static HoldView found(HoldView hold) {
        if (hold == null) {
            throw ProblemException.notFound("hold");
        }
        return hold;
    }

    private static RestResponse<HoldView> answer(Outcome o, RestResponse.Status status) {
        if (o.refusal() != null) {
            throw refused(o);
        }
        return IdempotencyKeys.mark(RestResponse.ResponseBuilder.<HoldView>create(status).entity(o.hold()), o.replayed()).build();
    }

    private static ProblemException refused(Outcome o) {
        String detail = switch (o.refusal()) {
            case INSUFFICIENT_AVAILABLE -> "The available points do not cover " + o.points() + " points";
            case EXCEEDS_HOLD -> "The capture of " + o.points() + " points is more than the hold reserved ("
                    + o.hold().amount() + ")";
            case CAPTURED -> "The hold was captured already";
            case VOIDED -> "The hold was voided";
            case EXPIRED -> "The hold expired before it was captured; its points are available again";
        };
        return new ProblemException(409, o.refusal().reason, detail, null, IdempotencyKeys.headers(o.replayed()));
    }
}
