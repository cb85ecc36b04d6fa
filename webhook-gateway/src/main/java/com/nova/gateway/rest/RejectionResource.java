package com.nova.gateway.rest;

import java.time.OffsetDateTime;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.nova.gateway.service.RejectionLog;
import com.nova.kit.security.Roles;

import io.smallrye.mutiny.Uni;

/** Admins list refused deliveries, newest first, with filters and keyset paging. */
@Path("/webhooks/rejections")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class RejectionResource {

    private final RejectionLog log;

    public RejectionResource(RejectionLog log) {
        this.log = log;
    }

    @GET
    public Uni<RejectionLog.Page> list(
            @QueryParam("provider") @Pattern(regexp = "stripe|square|purchase|buyer|unknown", message = "must be stripe, square, purchase, buyer or unknown") String provider,
            @QueryParam("reason") @Pattern(regexp = "[a-z_]{1,50}", message = "must be a reason code such as bad_signature") String reason,
            @QueryParam("from") OffsetDateTime from,
            @QueryParam("to") OffsetDateTime to,
            @QueryParam("cursor") @Pattern(regexp = "[0-9]{1,18}", message = "must be a cursor returned by a previous page") String cursor,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        return log.list(provider, reason, from, to, cursor == null ? null : Long.parseLong(cursor), limit);
    }
}
