package com.nova.kit.security;

import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The verified token with {@code sub} as its name. SmallRye's principal names itself by
 * {@code upn} or {@code preferred_username} first; those are display names an identity provider
 * may let users choose, so access, audit and rate limits must never key on them.
 */
final class SubjectPrincipal implements JsonWebToken {

    private final JsonWebToken token;

    SubjectPrincipal(JsonWebToken token) {
        this.token = token;
    }

    @Override
    public String getName() {
        return token.getSubject();
    }

    @Override
    public Set<String> getClaimNames() {
        return token.getClaimNames();
    }

    @Override
    public <T> T getClaim(String claimName) {
        return token.getClaim(claimName);
    }
}
