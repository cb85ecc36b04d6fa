package com.nova.buyers.rest;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;

import com.nova.buyers.Buyer;
import com.nova.buyers.service.BuyerRequests;
import com.nova.buyers.service.BuyerService;
import com.nova.buyers.service.BuyerViews.BuyerPage;
import com.nova.buyers.service.BuyerViews.BuyerView;
import com.nova.buyers.service.BuyerViews.RotatedSecret;
import com.nova.buyers.service.WebhookSecretService;
import com.nova.kit.security.Ownership;
import com.nova.kit.security.Roles;
import com.nova.kit.text.PathPatterns;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Buyers as admins manage them. A {@code buyer} principal ({@code sub} = buyer id) may read itself
 * and rotate its own webhook secret; any other buyer's id answers 404, as if it did not exist.
 */
@Path("/v1/buyers")
@Produces(MediaType.APPLICATION_JSON)
public class BuyerResource {

    /** Buyer ids are UUIDs; other segments under /v1/buyers (audit, keys) are not buyer ids. */
    static final String ID = "{id: " + PathPatterns.UUID + "}";

    private final BuyerService buyers;
    private final WebhookSecretService secrets;
    private final SecurityIdentity identity;

    public BuyerResource(BuyerService buyers, WebhookSecretService secrets, SecurityIdentity identity) {
        this.buyers = buyers;
        this.secrets = secrets;
        this.identity = identity;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<BuyerView>> create(@NotNull @Valid BuyerRequests.Create request) {
        return buyers.create(request, Ownership.subject(identity))
                .map(view -> RestResponse.ResponseBuilder.<BuyerView>created(
                        java.net.URI.create("/v1/buyers/" + view.id())).entity(view).build());
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    public Uni<BuyerPage> list(
            @QueryParam("status") @Pattern(regexp = "ACTIVE|PAUSED|DEACTIVATED", message = "must be ACTIVE, PAUSED or DEACTIVATED") String status,
            @QueryParam("vertical") @Pattern(regexp = BuyerRequests.VERTICAL, message = BuyerRequests.VERTICAL_MESSAGE) String vertical,
            @QueryParam("cursor") @Pattern(regexp = "[0-9]{1,18}", message = "must be a cursor returned by a previous page") String cursor,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        long after = cursor == null ? 0 : Long.parseLong(cursor);
        return buyers.page(status == null ? null : Buyer.Status.valueOf(status), vertical, after, limit + 1).map(rows -> {
            List<Buyer> page = rows.size() > limit ? rows.subList(0, limit) : rows;
            String next = rows.size() > limit ? Long.toString(page.get(page.size() - 1).registrationSeq) : null;
            return new BuyerPage(page.stream().map(BuyerView::of).toList(), next);
        });
    }

    @GET
    @Path(ID)
    @RolesAllowed({ Roles.ADMIN, Roles.BUYER })
    public Uni<BuyerView> get(@PathParam("id") UUID id) {
        Ownership.requireSelfOrAdmin(identity, id.toString(), "Buyer");
        return buyers.get(id);
    }

    @PATCH
    @Path(ID)
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<BuyerView> patch(@PathParam("id") UUID id, @NotNull @Valid BuyerRequests.Patch patch) {
        return buyers.patch(id, patch, Ownership.subject(identity));
    }

    @POST
    @Path(ID + "/deactivate")
    @RolesAllowed(Roles.ADMIN)
    public Uni<BuyerView> deactivate(@PathParam("id") UUID id) {
        return buyers.deactivate(id, Ownership.subject(identity));
    }

    @PUT
    @Path(ID + "/credentials")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<BuyerView> replaceCredentials(@PathParam("id") UUID id,
            @NotNull @Valid BuyerRequests.ReplaceCredentials request) {
        return buyers.replaceCredentials(id, request.authConfig(), Ownership.subject(identity));
    }

    @POST
    @Path(ID + "/webhook-secret/rotate")
    @RolesAllowed({ Roles.ADMIN, Roles.BUYER })
    public Uni<RotatedSecret> rotateWebhookSecret(@PathParam("id") UUID id) {
        Ownership.requireSelfOrAdmin(identity, id.toString(), "Buyer");
        return secrets.rotate(id, Ownership.subject(identity));
    }
}
