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
 * read the CSRF cookie to put it in a header. A request is exempt only when authentication verified
 * the very bearer token of its {@code Authorization} header; whatever else authenticated it while a
 * session cookie came along (the cookie, however a parser read duplicates of it) is checked, so a
 * stray header (another scheme, a second token) cannot switch the check off.
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
        // The raw header, not a parsed map: with duplicate cookies the parsers may not pick the same one.
        String cookies = request.getHeaderString(jakarta.ws.rs.core.HttpHeaders.COOKIE);
        if (SAFE.contains(request.getMethod()) || cookies == null || !cookies.contains(SessionCookies.SESSION + "=")) {
            return Uni.createFrom().nullItem();
        }
        return identities.getDeferredIdentity()
                .onFailure().recoverWithNull()
                .map(identity -> {
                    if (identity == null || identity.isAnonymous()) {
                        return null; // nothing authenticated: the endpoint's own rules refuse or allow it
                    }
                    String authorization = request.getHeaderString(jakarta.ws.rs.core.HttpHeaders.AUTHORIZATION);
                    boolean byBearer = identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getRawToken() != null
                            && authorization != null && authorization.startsWith("Bearer ")
                            && authorization.substring(7).trim().equals(jwt.getRawToken());
                    if (!byBearer && !carriesCsrfToken(request)) {
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
