package com.nova.wallet;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
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
import com.nova.kit.testing.SuiteTestResource;
import com.nova.kit.testing.TestTokens;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.ResourceArg;
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
@QuarkusTestResource(value = SuiteTestResource.class, initArgs = @ResourceArg(name = "database", value = "wallet_test"))
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
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                server.createContext("/.well-known/jwks.json", exchange -> {
                    byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                });
                server.start();
                return Map.of("mp.jwt.verify.publickey.location",
                        "http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json");
            } catch (IOException | java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void stop() {
            if (server != null) {
                server.stop(0);
            }
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
        given().header("Authorization", TestTokens.bearer("driver-rot-1", "driver")).get("/v1/wallets/me").then()
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
        given().header("Authorization", TestTokens.bearer("driver-rot-3", "driver")).get("/v1/wallets/me").then()
                .statusCode(200);
    }
}
