package com.nova.kit.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import com.nova.kit.problem.ProblemException;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;

/**
 * Service tokens open {@code /internal/} endpoints and nothing else: a leaked peer token cannot
 * act as a user on a public endpoint, even one that asks only for an authenticated caller.
 */
@ApplicationScoped
public class ServiceTokenScope {

    private final CurrentIdentityAssociation identities;

    public ServiceTokenScope(CurrentIdentityAssociation identities) {
        this.identities = identities;
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION - 10)
    public Uni<Response> check(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (path.startsWith("/internal/")) {
            return Uni.createFrom().nullItem();
        }
        return identities.getDeferredIdentity()
                .onFailure().recoverWithNull()
                .map(identity -> {
                    if (identity != null && identity.getAttribute(TokenIdentityAugmentor.SERVICE_TOKEN) != null) {
                        throw new ProblemException(403, "forbidden", "Service tokens are accepted on internal endpoints only");
                    }
                    return null;
                });
    }
}
