package com.nova.wallet;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.nova.kit.testing.DevIdentity;
import com.nova.kit.testing.HttpStubs;
import com.nova.kit.testing.TestRequests;
import com.nova.kit.testing.TestTokens;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Keys rotate by kid without a restart: the verifiers read the identity provider's JWKS from its
 * URL (HTTPS in production; a local stand-in over HTTP here, which SmallRye fetches the same way)
 * and fetch it again every minute, and a token with a made-up kid
 * cannot hold a key added meanwhile back for longer than that.
 */
@QuarkusTest
@TestProfile(JwksRotationTest.FromTheIdentityProvider.class)
@WalletTest
class JwksRotationTest {

    /** A JWKS endpoint whose key list a test can change, like an identity provider's. */
    public static class IdentityProviderStub implements QuarkusTestResourceLifecycleManager {

        static volatile String jwks;
        private HttpServer server;

        @Override
        public Map<String, String> start() {
            try {
                DevIdentity.ensureKeys(TestTokens.KEYS);
                jwks = Files.readString(TestTokens.KEYS.resolve("jwks.json"));
                server = HttpStubs.start(
                        Map.of("/.well-known/jwks.json", exchange -> HttpStubs.respond(exchange, 200, jwks)));
                return Map.of("mp.jwt.verify.publickey.location", HttpStubs.baseUrl(server) + "/.well-known/jwks.json");
            } catch (IOException | java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void stop() {
            HttpStubs.stop(server);
        }
    }

    public static class FromTheIdentityProvider implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of();
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(IdentityProviderStub.class));
        }
    }

    @Test
    void aKeyAddedToTheJwksAfterStartIsAcceptedWithoutARestart() throws Exception {
        TestRequests.as("driver-rot-1", "driver").get("/v1/wallets/me").then()
                .statusCode(200);

        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair next = generator.generateKeyPair();
        String kid = "rotated-" + System.nanoTime();
        String token = DevIdentity.sign(next.getPrivate(), kid, DevIdentity.DEFAULT_ISSUER, DevIdentity.DEFAULT_AUDIENCE,
                "driver-rot-2", List.of("driver"), 3600, Map.of());
        given().header("Authorization", "Bearer " + token).get("/v1/wallets/me").then().statusCode(401);

        // Someone presents a made-up kid, forcing a refresh that finds nothing; then the provider
        // publishes the new key and starts signing with it.
        String forged = DevIdentity.sign(next.getPrivate(), "made-up-" + System.nanoTime(), DevIdentity.DEFAULT_ISSUER,
                DevIdentity.DEFAULT_AUDIENCE, "attacker", List.of("driver"), 3600, Map.of());
        given().header("Authorization", "Bearer " + forged).get("/v1/wallets/me").then().statusCode(401);
        String current = IdentityProviderStub.jwks;
        IdentityProviderStub.jwks = current.replaceFirst("\\[", "[" + DevIdentity.jwk(kid, (RSAPublicKey) next.getPublic()) + ",");

        // Accepted within the refresh interval (one minute), with no restart; old keys still verify.
        Awaitility.await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(5))
                .until(() -> given().header("Authorization", "Bearer " + token).get("/v1/wallets/me").statusCode() == 200);
        TestRequests.as("driver-rot-3", "driver").get("/v1/wallets/me").then()
                .statusCode(200);
    }
}
