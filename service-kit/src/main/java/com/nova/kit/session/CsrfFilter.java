package com.nova.kit.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import com.nova.kit.problem.ProblemException;

/**
 * Refuses unsafe requests that a browser authenticated with the session cookie unless they carry
 * the CSRF token: another site can make a browser send our cookie (SameSite aside), but cannot
 * read the CSRF cookie to put it in a header. Requests with an Authorization header are not
 * cookie-authenticated and need no token.
 */
public class CsrfFilter {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION - 200)
    public void check(ContainerRequestContext request) {
        if (SAFE.contains(request.getMethod()) || request.getHeaderString(HttpHeaders.AUTHORIZATION) != null) {
            return;
        }
        Cookie session = request.getCookies().get(SessionCookies.SESSION);
        if (session == null) {
            return;
        }
        Cookie csrf = request.getCookies().get(SessionCookies.CSRF);
        String header = request.getHeaderString(SessionCookies.CSRF_HEADER);
        if (csrf == null || header == null || csrf.getValue().length() < 32 || !MessageDigest.isEqual(
                csrf.getValue().getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8))) {
            throw new ProblemException(403, "csrf-token-invalid",
                    "A request authenticated by the session cookie must carry the " + SessionCookies.CSRF_HEADER + " header");
        }
    }
}
