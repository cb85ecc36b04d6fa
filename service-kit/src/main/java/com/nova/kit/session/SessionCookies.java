package com.nova.kit.session;

/**
 * The browser session: the token travels in an httpOnly, Secure, SameSite=Strict cookie
 * that every service accepts (SmallRye JWT reads it when no Authorization header is sent), and
 * unsafe requests authenticated by that cookie must echo the CSRF cookie's value in a header (double
 * submit: the page learns the value from wallet-service's session answers, which only our own
 * origin can read).
 */
public final class SessionCookies {

    /** The token itself: httpOnly, so no script can read it. */
    public static final String SESSION = "nova_session";
    /** A random value, httpOnly as well, that the page echoes from the session answer it read. */
    public static final String CSRF = "nova_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private SessionCookies() {
    }
}
