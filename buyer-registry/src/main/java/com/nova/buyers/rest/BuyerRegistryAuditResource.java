package com.nova.buyers.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.nova.buyers.service.AuditChain;
import com.nova.buyers.service.BuyerViews.ChainVerification;
import com.nova.kit.audit.AuditLogResource;
import com.nova.kit.audit.AuditQuery;
import com.nova.kit.security.Roles;

import io.smallrye.mutiny.Uni;

/** Admins read the buyer registry's audit trail and verify its hash chain. */
@Path("/v1/buyers/audit")
public class BuyerRegistryAuditResource extends AuditLogResource {

    private final AuditChain chain;

    public BuyerRegistryAuditResource(AuditQuery audit, AuditChain chain) {
        super(audit);
        this.chain = chain;
    }

    /** Walks the hash chain and reports the first broken link, if any. */
    @GET
    @Path("/verify")
    @RolesAllowed(Roles.ADMIN)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ChainVerification> verify() {
        return chain.verify();
    }
}
