package com.nova.kit.session;

/**
 * The browser session: the token travels in an httpOnly, Secure, SameSite=Strict cookie
 * that every service accepts (SmallRye JWT reads it when no Authorization header is sent), and
 * unsafe requests authenticated by that cookie must echo the readable CSRF cookie in a header.
 */
public final class SessionCookies {

    /** The token itself: httpOnly, so no script can read it. */
    public static final String SESSION = "nova_session";
    /** A random value scripts of our own origin can read and echo (double submit). */
    public static final String CSRF = "nova_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private SessionCookies() {
    }
}
