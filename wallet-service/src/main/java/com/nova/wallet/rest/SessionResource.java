package com.nova.wallet.rest;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.jboss.resteasy.reactive.RestResponse;

import com.nova.kit.problem.ProblemException;
import com.nova.kit.session.SessionCookies;

import io.quarkus.security.Authenticated;

/**
 * Exchanges a bearer token for the browser session cookie, so the front end keeps no
 * token where scripts can read it, tells a page which session it has, and clears it again. Both
 * cookies are httpOnly: the page learns the CSRF value from these answers (same-origin reads,
 * which another site cannot make) and keeps it in memory only.
 */
@Path("/v1/session")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JsonWebToken token;

    public SessionResource(JsonWebToken token) {
        this.token = token;
    }

    /** What the page needs: the CSRF token to echo on writes, and when the session ends. */
    public record Session(String subject, String csrfToken, Instant expiresAt) {
    }

    @POST
    @Authenticated
    public RestResponse<Session> create(HttpHeaders headers) {
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        // The cookie gets the very token authentication verified, and only one that came as the
        // bearer token: never header text that was not what authenticated the request.
        String verified = token.getRawToken();
        if (authorization == null || !authorization.startsWith("Bearer ") || verified == null
                || !verified.equals(authorization.substring(7).trim())) {
            throw new ProblemException(400, "bearer-token-required",
                    "Send the token to exchange in the Authorization header");
        }
        Instant expires = Instant.ofEpochSecond(token.getExpirationTime());
        long maxAge = Math.max(0, Duration.between(Instant.now(), expires).toSeconds());
        byte[] csrf = new byte[32];
        RANDOM.nextBytes(csrf);
        String csrfToken = Base64.getUrlEncoder().withoutPadding().encodeToString(csrf);
        return RestResponse.ResponseBuilder.ok(new Session(token.getSubject(), csrfToken, expires))
                .header(HttpHeaders.SET_COOKIE, cookie(SessionCookies.SESSION, verified, maxAge))
                .header(HttpHeaders.SET_COOKIE, cookie(SessionCookies.CSRF, csrfToken, maxAge))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    /**
     * The session the caller's cookie carries: a page loaded again learns its CSRF value here.
     * A bearer caller without the cookie gets no CSRF value (it needs none).
     */
    @GET
    @Authenticated
    public RestResponse<Session> current(@CookieParam(SessionCookies.CSRF) String csrfToken) {
        return RestResponse.ResponseBuilder.ok(new Session(token.getSubject(), csrfToken,
                Instant.ofEpochSecond(token.getExpirationTime()))).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    @DELETE
    @PermitAll
    @SecurityRequirementsSet // open to anyone (security: [{}]): it only clears the caller's own cookies
    public RestResponse<Void> delete() {
        return RestResponse.ResponseBuilder.<Void>noContent()
                .header(HttpHeaders.SET_COOKIE, cookie(SessionCookies.SESSION, "", 0))
                .header(HttpHeaders.SET_COOKIE, cookie(SessionCookies.CSRF, "", 0))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    private static String cookie(String name, String value, long maxAge) {
        return name + "=" + value + "; Path=/; Max-Age=" + maxAge + "; Secure; SameSite=Strict; HttpOnly";
    }
}
