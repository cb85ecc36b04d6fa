package com.nova.wallet.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.nova.kit.security.Ownership;
import com.nova.kit.security.Roles;
import com.nova.wallet.service.WalletService;
import com.nova.wallet.service.WalletService.WalletView;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

@Path("/v1/wallets")
@Produces(MediaType.APPLICATION_JSON)
public class WalletResource {

    private final WalletService wallets;
    private final SecurityIdentity identity;

    public WalletResource(WalletService wallets, SecurityIdentity identity) {
        this.wallets = wallets;
        this.identity = identity;
    }

    /** The caller's own wallet. */
    @GET
    @Path("/me")
    @RolesAllowed(Roles.DRIVER)
    public Uni<WalletView> me() {
        return wallets.wallet(Ownership.subject(identity));
    }
}
