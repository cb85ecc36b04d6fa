package com.nova.wallet;

import java.util.Map;

import com.nova.kit.testing.DevIdentity;
import com.nova.kit.testing.TestTokens;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The development sign-in ({@link DevIdentity.Provider}, a real HTTP server on a free port) as the
 * driver app's identity provider in tests, signing with the test keys the services trust. The app
 * is served by the API's own origin in tests, as the ingress serves both in production.
 */
public class DevSignIn implements QuarkusTestResourceLifecycleManager {

    private static volatile DevIdentity.Provider provider;

    /** The running provider, for tests that make its token endpoint fail or slow down. */
    public static DevIdentity.Provider provider() {
        return provider;
    }

    @Override
    public Map<String, String> start() {
        try {
            // The app under test is on a free port: any port of localhost's /app/.
            provider = DevIdentity.Provider.start(TestTokens.KEYS, 0, 3600, DevIdentity.Provider.CLIENT_ID,
                    java.util.List.of("http://localhost:*/app/"));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the development sign-in", e);
        }
        return Map.of("wallet.frontend.identity.authorization-endpoint", provider.url("/authorize"),
                "wallet.frontend.identity.token-endpoint", provider.url("/token"),
                "wallet.frontend.api-base-url", "/");
    }

    @Override
    public void stop() {
        if (provider != null) {
            provider.close();
        }
    }
}
