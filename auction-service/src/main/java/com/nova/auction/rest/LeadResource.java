package com.nova.auction.rest;

import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;

import com.nova.auction.service.LeadAnswer;
import com.nova.auction.service.LeadIntake;
import com.nova.auction.service.LeadPing;
import com.nova.auction.service.LeadPings;
import com.nova.auction.service.LeadQueries.AuctionView;
import com.nova.auction.service.LeadQueries.LeadView;
import com.nova.auction.service.LeadQueries;
import com.nova.auction.service.LeadRefusedException;
import com.nova.auction.service.LeadSubmission;
import com.nova.kit.idempotency.IdempotencyKeys;
import com.nova.kit.problem.ProblemException;
import com.nova.kit.ratelimit.RateLimited;
import com.nova.kit.security.Ownership;
import com.nova.kit.security.Roles;
import com.nova.kit.text.PathPatterns;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Publishers submit leads; publishers, buyers and admins read what became of them. */
@Path("/v1/leads")
@Produces(MediaType.APPLICATION_JSON)
public class LeadResource {

    static final String ID = "/{id: " + PathPatterns.UUID + "}";

    private final LeadIntake intake;
    private final LeadPings pings;
    private final LeadQueries queries;
    private final SecurityIdentity identity;

    public LeadResource(LeadIntake intake, LeadPings pings, LeadQueries queries, SecurityIdentity identity) {
        this.intake = intake;
        this.pings = pings;
        this.queries = queries;
        this.identity = identity;
    }

    /**
     * A ping: what a lead with this vertical, ZIP and state would sell for now. 201 with
     * {@code pingId}, {@code expiresAt}, {@code price} (what the publisher is paid, at least) and
     * {@code mode}, or {@code price: null} when nobody bids; 400 naming any identifying field. Post
     * the lead with {@code pingId} before {@code expiresAt}. The same Idempotency-Key replays it.
     */
    @POST
    @Path("/ping")
    @RolesAllowed(Roles.PUBLISHER)
    @RateLimited("leads")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<LeadPings.PingAnswer>> ping(@HeaderParam(IdempotencyKeys.HEADER) String key,
            @NotNull @Valid LeadPing ping) {
        IdempotencyKeys.require(key, "per ping");
        return pings.ping(Ownership.subject(identity), key, ping).map(answer -> IdempotencyKeys.mark(
                RestResponse.ResponseBuilder.<LeadPings.PingAnswer>create(201).entity(answer), answer.replayed()).build());
    }

    /**
     * 201 with the auction's result (SOLD with price and buyer, or UNSOLD); 202 when a compliance
     * provider could not answer and the lead is held for a later check; 422 when the lead failed
     * compliance (recorded as REJECTED with its reason); 409 for the same person within the window.
     * The same Idempotency-Key with the same lead replays the first answer.
     */
    @POST
    @RolesAllowed(Roles.PUBLISHER)
    @RateLimited("leads")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<LeadAnswer>> submit(@HeaderParam(IdempotencyKeys.HEADER) String key,
            @NotNull @Valid LeadSubmission lead) {
        IdempotencyKeys.require(key, "per lead");
        Uni<LeadAnswer> submitted;
        try {
            submitted = intake.submit(Ownership.subject(identity), key, lead);
        } catch (LeadRefusedException e) {
            throw problem(e);
        }
        return submitted.onFailure(LeadRefusedException.class).transform(e -> problem((LeadRefusedException) e))
                .map(answer -> IdempotencyKeys.mark(RestResponse.ResponseBuilder.<LeadAnswer>create(status(answer)).entity(answer),
                        answer.replayed()).build());
    }

    /** The owning publisher or an admin. */
    @GET
    @Path(ID)
    @RolesAllowed({ Roles.PUBLISHER, Roles.ADMIN })
    public Uni<LeadView> get(@PathParam("id") UUID id) {
        return queries.lead(id).onItem().ifNull().failWith(() -> ProblemException.notFound("Lead")).chain(lead -> {
            Ownership.requireSelfOrAdmin(identity, lead.publisherId(), "Lead");
            return queries.view(lead);
        });
    }

    /** Every considered buyer's bid and outcome, and the rule that decided (admins). */
    @GET
    @Path(ID + "/auction")
    @RolesAllowed(Roles.ADMIN)
    public Uni<AuctionView> auction(@PathParam("id") UUID id) {
        return queries.auction(id, null).onItem().ifNull().failWith(() -> ProblemException.notFound("Auction"));
    }

    /** "Why didn't I win": a buyer's own bid and outcome on a lead it was considered for. */
    @GET
    @Path(ID + "/auction/mine")
    @RolesAllowed(Roles.BUYER)
    public Uni<AuctionView> myBid(@PathParam("id") UUID id) {
        UUID buyer;
        try {
            buyer = UUID.fromString(Ownership.subject(identity));
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("Auction");
        }
        return queries.auction(id, buyer).onItem().ifNull().failWith(() -> ProblemException.notFound("Auction"));
    }

    /** 201 for a lead that went to auction, 202 for one held for a later check, 422 for one compliance rejected. */
    static int status(LeadAnswer answer) {
        return switch (answer.status()) {
            case HELD -> 202;
            case REJECTED -> 422;
            default -> 201;
        };
    }

    /** The problem answer of each reason a lead is refused. */
    static ProblemException problem(LeadRefusedException e) {
        return switch (e.reason()) {
            case DUPLICATE_PERSON -> ProblemException.conflict("duplicate-lead",
                    "A lead for this person (e-mail or phone) was submitted in the last " + e.duplicateWindow().toDays() + " days");
            case IDEMPOTENCY_KEY_REUSED -> IdempotencyKeys.reused("lead");
            case NOT_DECIDED_IN_TIME -> new ProblemException(503, "try-again",
                    "The lead could not be decided in time and nothing was stored; submit it again with the same Idempotency-Key",
                    null, Map.of("Retry-After", "1"));
            case INVALID_PHONE -> ProblemException.invalidField("phone", "must be a US phone number");
            case PING_NOT_FOUND -> ProblemException.invalidField("pingId", "is not a ping of yours");
            case PING_MISMATCH -> new ProblemException(422, "ping-mismatch", "The lead's " + e.detail()
                    + " differs from its ping's; post the lead that was pinged, or ping again");
            case PING_USED -> ProblemException.conflict("ping-used", "Another lead was posted with this ping; ping again");
            case PING_EXPIRED -> new ProblemException(422, "ping-expired", "The ping expired at " + e.detail() + "; ping again");
            case PING_NOT_PRICED -> new ProblemException(422, "ping-not-priced", "Nobody bid on this ping; the lead cannot be posted with it");
        };
    }
}
