package com.nova.buyers.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.nova.buyers.service.BuyerViews.ReencryptionReport;
import com.nova.buyers.service.KeyRotationService;
import com.nova.kit.security.Ownership;
import com.nova.kit.security.Roles;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Admin operations on the encryption keys. */
@Path("/v1/buyers")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class KeyAdminResource {

    private final KeyRotationService rotation;
    private final SecurityIdentity identity;

    public KeyAdminResource(KeyRotationService rotation, SecurityIdentity identity) {
        this.rotation = rotation;
        this.identity = identity;
    }

    /**
     * Re-encrypts every credential and secret under the keyset's primary key (after adding a new
     * primary), and encrypts legacy plaintext. Resumable and safe to repeat; {@code remaining: 0}
     * means the old keys may be retired.
     */
    @POST
    @Path("/keys/reencrypt")
    public Uni<ReencryptionReport> reencrypt() {
        return rotation.reencrypt(Ownership.subject(identity));
    }
}
