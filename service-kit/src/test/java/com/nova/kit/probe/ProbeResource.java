package com.nova.kit.probe;

import java.math.BigDecimal;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.nova.kit.audit.AuditTrail;
import com.nova.kit.problem.ProblemException;
import com.nova.kit.ratelimit.RateLimited;
import com.nova.kit.requestid.RequestIds;
import com.nova.kit.security.Ownership;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/** Endpoints that exercise the kit the way a service uses it. */
@Path("/probe")
@Produces(MediaType.APPLICATION_JSON)
public class ProbeResource {

    private final SecurityIdentity identity;
    private final AuditTrail audit;

    public ProbeResource(SecurityIdentity identity, AuditTrail audit) {
        this.identity = identity;
        this.audit = audit;
    }

    public record Order(@NotBlank @Size(max = 20) String name, @NotNull @Email String email,
            @NotNull @Positive BigDecimal amount, @Size(max = 3) java.util.List<@NotBlank String> tags) {
    }

    /** Logs on a worker thread after an asynchronous hop and reports the request id seen there. */
    @GET
    @Path("/continuation")
    @PermitAll
    public Uni<Map<String, String>> continuation() {
        return Uni.createFrom().item("hop")
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(x -> {
                    Log.infof("probe continuation on %s", Thread.currentThread().getName());
                    return Map.of("requestId", String.valueOf(RequestIds.current()));
                });
    }

    @POST
    @Path("/orders")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, String> order(@Valid Order order, @QueryParam("copies") @Max(5) Integer copies) {
        return Map.of("amount", order.amount().toPlainString(), "scale", Integer.toString(order.amount().scale()));
    }

    @GET
    @Path("/boom")
    @PermitAll
    public String boom() {
        throw new IllegalStateException("select * from secrets where card = 4111111111111111");
    }

    @GET
    @Path("/conflict")
    @PermitAll
    public String conflict() {
        throw ProblemException.conflict("probe-conflict", "The probe is in a state that forbids this");
    }

    @POST
    @Path("/log-pii")
    @PermitAll
    public String logPii() {
        Log.infof("customer %s paid with card %s using token %s", "john.doe@example.com", "4111 1111 1111 1111",
                "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJkcml2ZXIifQ.c2lnbmF0dXJlLXZhbHVl");
        Log.info("config password=hunter2-secret webhookSecret=whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ= apiKey=sk_live_51AbCdEfGhIjKlMnOp");
        Log.error("delivery failed", new IllegalArgumentException("rejected for jane.roe@example.org",
                new RuntimeException("auth header Bearer abcdefghijklmnopqrstuvwxyz123456")));
        return "logged";
    }

    @GET
    @Path("/limited")
    @PermitAll
    @RateLimited("tight")
    public String limited() {
        return "ok";
    }

    @GET
    @Path("/limited-by-subject")
    @RolesAllowed("driver")
    @RateLimited("tight")
    public String limitedBySubject() {
        return "ok";
    }

    @GET
    @Path("/owned/{owner}")
    @RolesAllowed({ "driver", "admin" })
    public Map<String, String> owned(@PathParam("owner") String owner) {
        Ownership.requireSelfOrAdmin(identity, owner, "Wallet");
        return Map.of("owner", owner);
    }

    @POST
    @Path("/audit/{target}")
    @RolesAllowed("admin")
    public Uni<String> audited(@PathParam("target") String target, @QueryParam("fail") boolean fail) {
        return Panache.withTransaction(() -> audit.record(identity.getPrincipal().getName(), "probe.audited", target,
                Map.of("note", "from the probe"))
                .chain(() -> fail ? Uni.createFrom().failure(new IllegalStateException("after the audit row"))
                        : Uni.createFrom().item("recorded")));
    }
}
