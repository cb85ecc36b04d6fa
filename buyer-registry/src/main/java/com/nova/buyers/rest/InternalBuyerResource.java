package com.nova.buyers.rest;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.nova.buyers.service.BuyerRequests;
import com.nova.buyers.service.BuyerService;
import com.nova.buyers.service.BuyerViews.Delivery;
import com.nova.buyers.service.BuyerViews.EligibleBuyers;
import com.nova.buyers.service.BuyerViews.PingEndpoint;
import com.nova.buyers.service.BuyerViews.WebhookSecrets;
import com.nova.buyers.service.WebhookSecretService;
import com.nova.kit.ratelimit.RateLimited;
import com.nova.kit.security.Ownership;
import com.nova.kit.security.Roles;
import com.nova.kit.validation.UsState;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Service-to-service endpoints: never routed by the public ingress, and each only for the peer
 * that needs it (a service token names its service): auction-service reads bidding fields and
 * delivery credentials, webhook-gateway reads webhook secrets, neither the other's. Admins are
 * refused too: these answer secrets in clear.
 */
@Path("/internal/buyers")
@Produces(MediaType.APPLICATION_JSON)
// Peers call this once per delivery: the "internal" class (INTERNAL_RATE_LIMIT), not the per-user default.
@RateLimited("internal")
public class InternalBuyerResource {

    private final BuyerService buyers;
    private final WebhookSecretService secrets;
    private final SecurityIdentity identity;

    public InternalBuyerResource(BuyerService buyers, WebhookSecretService secrets, SecurityIdentity identity) {
        this.buyers = buyers;
        this.secrets = secrets;
        this.identity = identity;
    }

    /** Every buyer id, so webhook-gateway refuses unknown buyers without asking here per request. */
    public record BuyerIds(java.util.List<UUID> ids) {
    }

    @GET
    @Path("/ids")
    @RolesAllowed(Roles.WEBHOOK_GATEWAY)
    public Uni<BuyerIds> ids() {
        return buyers.allIds().map(BuyerIds::new);
    }

    /** Active buyers with their bidding fields, for auction-service (which counts caps and budgets). */
    @GET
    @Path("/eligible")
    @RolesAllowed(Roles.AUCTION_SERVICE)
    public Uni<EligibleBuyers> eligible(
            @QueryParam("vertical") @Pattern(regexp = BuyerRequests.VERTICAL, message = BuyerRequests.VERTICAL_MESSAGE) String vertical,
            @QueryParam("state") @UsState String state,
            @QueryParam("zip") @Pattern(regexp = "[0-9]{5}", message = "must be a 5-digit ZIP code") String zip) {
        return buyers.eligible(vertical, state, zip);
    }

    /** The delivery URL and decrypted credentials, for the delivery worker. Every read is audited. */
    @GET
    @Path(BuyerResource.ID + "/delivery")
    @RolesAllowed(Roles.AUCTION_SERVICE)
    public Uni<Delivery> delivery(@PathParam("id") UUID id) {
        return secrets.delivery(id, Ownership.subject(identity));
    }

    /** The live-bidding endpoint and its decrypted credentials, for auction-service's pings. Audited; 404 when the buyer has none. */
    @GET
    @Path(BuyerResource.ID + "/ping-endpoint")
    @RolesAllowed(Roles.AUCTION_SERVICE)
    public Uni<PingEndpoint> pingEndpoint(@PathParam("id") UUID id) {
        return secrets.pingEndpoint(id, Ownership.subject(identity));
    }

    /** The webhook secrets that verify now (several during a rotation), for webhook-gateway. Audited. */
    @GET
    @Path(BuyerResource.ID + "/webhook-secrets")
    @RolesAllowed(Roles.WEBHOOK_GATEWAY)
    public Uni<WebhookSecrets> webhookSecrets(@PathParam("id") UUID id) {
        return secrets.valid(id, Ownership.subject(identity));
    }
}
