package com.nova.load;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.nova.kit.testing.DevIdentity;

/** Bearer tokens for the run's principals, signed by the development identity and cached per subject. */
final class Tokens {

    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private Tokens() {
    }

    static String bearer(String subject, String role) {
        return "Bearer " + CACHE.computeIfAbsent(subject + "|" + role, k -> {
            try {
                return DevIdentity.token(LoadSettings.keys(), DevIdentity.DEFAULT_ISSUER, subject, List.of(role), 4 * 3600);
            } catch (Exception e) {
                throw new IllegalStateException("cannot sign a token with the keys in " + LoadSettings.keys()
                        + " (deploy/local/up.sh creates them)", e);
            }
        });
    }

    static String admin() {
        return bearer("load-admin", "admin");
    }
}
