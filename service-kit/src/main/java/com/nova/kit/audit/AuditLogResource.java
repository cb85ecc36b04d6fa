package com.nova.kit.audit;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import com.nova.kit.security.OpenApiAccess;
import com.nova.kit.security.Roles;

import io.smallrye.mutiny.Uni;

/**
 * The admin listing of a service's audit trail. Each service exposes it under its own prefix by
 * extending this class with a {@code @Path}.
 */
public abstract class AuditLogResource {

    private final AuditQuery audit;

    protected AuditLogResource(AuditQuery audit) {
        this.audit = audit;
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    // Quarkus documents @RolesAllowed of the resource class only, not of a kit base class: say it here.
    @SecurityRequirement(name = OpenApiAccess.BEARER, scopes = Roles.ADMIN)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<AuditPage> list(@Valid @BeanParam AuditFilter filter) {
        return audit.list(filter);
    }
}
