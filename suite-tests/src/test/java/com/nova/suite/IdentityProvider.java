package com.nova.suite;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.Base64;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.nova.kit.testing.DevIdentity;
import com.nova.kit.testing.HttpStubs;
import com.nova.kit.testing.TestTokens;
import com.sun.net.httpserver.HttpServer;

/**
 * An identity provider as the services meet it in production: its JWKS served over HTTP
 * ({@code JWKS_LOCATION}), which verifiers fetch again on their own, rather than a file read at
 * start. Its keys are a folder in {@link DevIdentity}'s layout (user signing key, per-service
 * keys, {@code jwks.json}), copied from the test identity when the JVM first needs it, and the JWKS
 * is served as that folder holds it at each request: whatever the rotation scripts
 * (deploy/ops/rotate-*.sh) write there is what verifiers get on their next fetch.
 */
final class IdentityProvider {

    private final Path dir;
    private final HttpServer server;
    private final AtomicInteger fetches = new AtomicInteger();

    IdentityProvider(Path dir) {
        this.dir = dir;
        try {
            DevIdentity.ensureKeys(TestTokens.KEYS);
            if (Files.exists(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
            }
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(TestTokens.KEYS)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("Cannot set up the identity provider's keys in " + dir, e);
        }
        server = HttpStubs.start(Map.of("/.well-known/jwks.json", exchange -> {
            fetches.incrementAndGet();
            HttpStubs.respond(exchange, 200, Files.readString(dir.resolve("jwks.json")));
        }));
    }

    Path dir() {
        return dir;
    }

    String jwksUrl() {
        return HttpStubs.baseUrl(server) + "/.well-known/jwks.json";
    }

    /** How often verifiers fetched the JWKS. */
    int fetches() {
        return fetches.get();
    }

    /**
     * A user token signed with the key the provider signs with now. A rotation replaces the key and
     * its kid in two renames; as a careful identity provider would, this never signs with a key that
     * is not the one its kid names in the JWKS (it reads again until they match).
     */
    String bearer(String subject, String... roles) {
        try {
            for (int i = 0; i < 500; i++) {
                String kid = DevIdentity.currentKid(dir);
                PrivateKey key = DevIdentity.readPrivateKey(dir.resolve("private.pem"));
                if (published(kid, ((RSAPrivateKey) key).getModulus())) {
                    return "Bearer " + DevIdentity.sign(key, kid, DevIdentity.DEFAULT_ISSUER, DevIdentity.DEFAULT_AUDIENCE, subject,
                            List.of(roles), 3600, Map.of());
                }
                Thread.sleep(2);
            }
            throw new IllegalStateException("the signing key in " + dir + " is not the one its kid names in the JWKS");
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether the JWKS holds {@code kid} with this modulus. */
    private boolean published(String kid, BigInteger modulus) throws IOException {
        Matcher key = Pattern.compile("\\{[^{}]*\"kid\":\"" + Pattern.quote(kid) + "\"[^{}]*\\}").matcher(jwks());
        if (!key.find()) {
            return false;
        }
        Matcher n = Pattern.compile("\"n\":\"([^\"]+)\"").matcher(key.group());
        return n.find() && new BigInteger(1, Base64.getUrlDecoder().decode(n.group(1))).equals(modulus);
    }

    String kid() {
        try {
            return DevIdentity.currentKid(dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String jwks() {
        try {
            return Files.readString(dir.resolve("jwks.json"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
