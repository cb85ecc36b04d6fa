package com.nova.kit.testing;

import java.nio.file.Path;
import java.util.List;

/** Tokens for tests, signed by the test identity that {@link SuiteTestResource} sets up. */
public final class TestTokens {

    /** Relative to the module directory, where Surefire runs. */
    public static final Path KEYS = Path.of("target", "test-identity");

    private TestTokens() {
    }

    public static String token(String subject, String... roles) {
        return token(subject, 3600, roles);
    }

    /**
     * A user token; asking for exactly the {@code service} role as one of the suite's services gives
     * that service's token, signed by its own key (as any other subject: a user token, which
     * verifiers give no peer rights).
     */
    public static String token(String subject, long ttlSeconds, String... roles) {
        try {
            DevIdentity.ensureKeys(KEYS);
            if (List.of(roles).equals(List.of("service")) && DevIdentity.SERVICES.contains(subject)) {
                return DevIdentity.serviceToken(KEYS, DevIdentity.DEFAULT_ISSUER, DevIdentity.DEFAULT_AUDIENCE, subject,
                        ttlSeconds);
            }
            return DevIdentity.token(KEYS, DevIdentity.DEFAULT_ISSUER, subject, List.of(roles), ttlSeconds);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot sign a test token", e);
        }
    }

    public static String bearer(String subject, String... roles) {
        return "Bearer " + token(subject, roles);
    }
}
