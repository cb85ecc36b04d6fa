package com.nova.suite;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nova.kit.testing.DevIdentity;
import com.nova.kit.testing.RunningSuite;

import io.restassured.http.ContentType;

/**
 * The suite as the traces and rotation tests run it: one configuration of {@link RunningSuite}
 * shared by their classes (started once for all of them), closer to production than the plain one
 * where it matters to them:
 * <ul>
 * <li>the OpenTelemetry SDK on (it is off in the {@code local} profile), exporting over OTLP/HTTP to
 * {@link #OTLP}, a receiver in this JVM; JSON logs, as in production;</li>
 * <li>tokens verified against {@link #IDP}'s JWKS over HTTP (refetched by the verifiers, as from a real
 * identity provider), its keys, the services' own included, in a folder the rotation scripts work on;</li>
 * <li>service tokens minted again every few seconds ({@code KIT_SERVICE_TOKEN_TTL=6s}), so a caller's
 * replaced key file is used within seconds, not minutes;</li>
 * <li>buyer-registry behind {@link #REGISTRY}, a stable address that follows rollouts and records each
 * call peers make to it; a keyset file of its own, re-read every second; auction-service keeping its
 * eligible buyers one second and reading a buyer's delivery credentials for every delivery (no
 * target cache), so it keeps asking buyer-registry and every delivery decrypts through a rotation;</li>
 * <li>buyers' delivery endpoints in this JVM ({@link #BUYERS}).</li>
 * </ul>
 * Each class uses a vertical of its own, so the auction of one never sells to another's buyer.
 */
final class ProvingGround {

    static final String CONFIGURATION = "proving-ground";
    /** The classes of this configuration run after those of the plain one (junit-platform.properties): one switch, not several. */
    static final int ORDER = org.junit.jupiter.api.Order.DEFAULT + 1;
    static final Path DIR = Path.of("target", "proving-ground").toAbsolutePath();
    static final IdentityProvider IDP;
    static final OtlpReceiver OTLP;
    static final RecordingProxy REGISTRY;
    static final BuyerEndpoint BUYERS;
    static final Path KEYSET = DIR.resolve("buyer-registry-keyset.json");

    static {
        try {
            Files.createDirectories(DIR);
            Files.deleteIfExists(KEYSET);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        IDP = new IdentityProvider(DIR.resolve("identity"));
        OTLP = new OtlpReceiver();
        REGISTRY = new RecordingProxy(() -> RunningSuite.url("buyer-registry"));
        BUYERS = new BuyerEndpoint();
    }

    private ProvingGround() {
    }

    /** The extension for a class ({@code @RegisterExtension static final RunningSuite SUITE = ProvingGround.suite();}). */
    static RunningSuite suite() {
        return RunningSuite.withEnvironment(CONFIGURATION, ProvingGround::environment);
    }

    private static Map<String, String> environment(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_OTEL_SDK_DISABLED", "false");
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", OTLP.endpoint());
        env.put("QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        env.put("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms");
        env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true");
        env.put("JWKS_LOCATION", IDP.jwksUrl());
        env.put("KIT_SERVICE_TOKEN_SIGNING_KEY_LOCATION", DevIdentity.servicePrivateKey(IDP.dir(), service).toString());
        env.put("KIT_SERVICE_TOKEN_KEY_ID_LOCATION", DevIdentity.serviceKidFile(IDP.dir(), service).toString());
        try {
            env.put("KIT_SERVICE_TOKEN_TRUSTED_KEYS", DevIdentity.trustedKeys(IDP.dir()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        env.put("KIT_SERVICE_TOKEN_TTL", "6s");
        env.put("BUYER_REGISTRY_URL", REGISTRY.url());
        env.put("BUYERS_CRYPTO_KEYSET_FILE", KEYSET.toString());
        env.put("BUYERS_CRYPTO_RELOAD_INTERVAL", "1s");
        env.put("AUCTION_BUYERS_CACHE_TTL", "1s");
        env.put("AUCTION_DELIVERY_TARGET_CACHE_TTL", "0s");
        return env;
    }

    /** An admin's token from the identity provider's current key. */
    static String admin() {
        return IDP.bearer("ops-proving", "admin");
    }

    /** A buyer of {@code vertical} in {@code state} with a bearer credential, delivered to {@link #BUYERS}; its id. */
    static String createBuyer(String name, String vertical, String state, String bid, String credential) {
        return given().baseUri(RunningSuite.url("buyer-registry")).header("Authorization", admin())
                .contentType(ContentType.JSON)
                .body(Map.of("name", name, "verticals", List.of(vertical), "states", List.of(state), "bidAmount", bid,
                        "deliveryUrl", BUYERS.url(name), "authConfig", Map.of("type", "bearer", "token", credential)))
                .post("/v1/buyers").then().statusCode(201).extract().jsonPath().getString("id");
    }

    /** A lead that passes the stand-ins' compliance checks (a CA ZIP), new person each time. */
    static Map<String, Object> lead(String vertical) {
        String n = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        String phone = String.format("(%d) %d-%04d", random.nextInt(200, 1000), random.nextInt(200, 1000), random.nextInt(10_000));
        return Map.of("vertical", vertical, "firstName", "Ada", "lastName", "Lovelace", "email", "ada." + n + "@example.com",
                "phone", phone, "zip", "94105", "state", "CA",
                "trustedFormCertUrl", "https://cert.trustedform.com/" + UUID.randomUUID().toString().replace("-", ""),
                "consent", true);
    }
}
