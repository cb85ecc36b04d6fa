package com.nova.kit.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import com.nova.kit.problem.ProblemException;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;

/**
 * Refuses unsafe requests that a browser authenticated with the session cookie unless they carry
 * the CSRF token: another site can make a browser send our cookie (SameSite aside), but cannot
 * read the CSRF cookie to put it in a header. Whether the cookie authenticated the request is
 * decided by the token authentication actually verified, not by which headers came along, so a
 * stray {@code Authorization} header (another scheme, a second token) cannot switch the check off.
 */
@ApplicationScoped
public class CsrfFilter {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final CurrentIdentityAssociation identities;

    public CsrfFilter(CurrentIdentityAssociation identities) {
        this.identities = identities;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION - 200)
    public Uni<Response> check(ContainerRequestContext request) {
        Cookie session = request.getCookies().get(SessionCookies.SESSION);
        if (SAFE.contains(request.getMethod()) || session == null || session.getValue().isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        return identities.getDeferredIdentity()
                .onFailure().recoverWithNull()
                .map(identity -> {
                    boolean byCookie = identity != null && identity.getPrincipal() instanceof JsonWebToken jwt
                            && session.getValue().equals(jwt.getRawToken());
                    if (byCookie && !carriesCsrfToken(request)) {
                        throw new ProblemException(403, "csrf-token-invalid", "A request authenticated by the session cookie must carry the "
                                + SessionCookies.CSRF_HEADER + " header");
                    }
                    return null;
                });
    }

    private static boolean carriesCsrfToken(ContainerRequestContext request) {
        Cookie csrf = request.getCookies().get(SessionCookies.CSRF);
        String header = request.getHeaderString(SessionCookies.CSRF_HEADER);
        return csrf != null && header != null && csrf.getValue().length() >= 32 && MessageDigest.isEqual(
                csrf.getValue().getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8));
    }
}
