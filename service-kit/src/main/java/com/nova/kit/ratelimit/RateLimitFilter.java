package com.nova.kit.ratelimit;

import java.lang.reflect.Method;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import com.nova.kit.config.KitConfig;
import com.nova.kit.net.ClientAddresses;
import com.nova.kit.problem.ProblemException;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * Applies the limit of the endpoint's route class to the caller: the token's subject when one is
 * presented and valid, the client's address otherwise (behind the ingress: {@link ClientAddresses}). Adds RateLimit-* headers to every answer.
 */
@ApplicationScoped
public class RateLimitFilter {

    private static final String DECISION = "nova.rateLimit";

    private final RateLimiter limiter;
    private final KitConfig config;
    private final CurrentIdentityAssociation identities;
    private final ClientAddresses addresses;

    public RateLimitFilter(RateLimiter limiter, KitConfig config, CurrentIdentityAssociation identities,
            ClientAddresses addresses) {
        this.limiter = limiter;
        this.config = config;
        this.identities = identities;
        this.addresses = addresses;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION - 100)
    public Uni<Response> limit(ContainerRequestContext request, ResourceInfo resource, HttpServerRequest http) {
        if (!config.rateLimit().enabled()) {
            return Uni.createFrom().nullItem();
        }
        String routeClass = routeClass(resource);
        return callerKey(http).chain(caller -> limiter.check(routeClass, caller)).map(decision -> {
            request.setProperty(DECISION, decision);
            if (decision.allowed()) {
                return null;
            }
            throw new ProblemException(429, "rate-limited", "Too many requests: retry after the indicated delay",
                    null, headers(decision));
        });
    }

    @ServerResponseFilter
    public void headers(ContainerRequestContext request, ContainerResponseContext response) {
        Object value = request.getProperty(DECISION);
        if (value instanceof Decision decision) {
            headers(decision).forEach((k, v) -> response.getHeaders().putSingle(k, v));
        }
    }

    private Uni<String> callerKey(HttpServerRequest http) {
        String address = ClientAddresses.bucketOf(addresses.of(http));
        return identities.getDeferredIdentity()
                .map(identity -> keyOf(identity, address))
                .onFailure().recoverWithItem(() -> "ip:" + address);
    }

    private static String keyOf(SecurityIdentity identity, String address) {
        if (identity == null || identity.isAnonymous()) {
            return "ip:" + address;
        }
        return "sub:" + identity.getPrincipal().getName();
    }

    private static String routeClass(ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        RateLimited annotation = method == null ? null : method.getAnnotation(RateLimited.class);
        if (annotation == null && resource.getResourceClass() != null) {
            annotation = resource.getResourceClass().getAnnotation(RateLimited.class);
        }
        return annotation == null ? "default" : annotation.value();
    }

    private static java.util.Map<String, String> headers(Decision d) {
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("RateLimit-Limit", Integer.toString(d.limit()));
        headers.put("RateLimit-Remaining", Integer.toString(d.remaining()));
        headers.put("RateLimit-Reset", Long.toString(ceilSeconds(d.resetMillis())));
        if (!d.allowed()) {
            headers.put("Retry-After", Long.toString(Math.max(1, ceilSeconds(d.retryAfterMillis()))));
        }
        return headers;
    }

    private static long ceilSeconds(long millis) {
        return (millis + 999) / 1000;
    }
}
