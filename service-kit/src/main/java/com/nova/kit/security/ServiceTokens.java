package com.nova.kit.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.nova.kit.config.KitConfig;

import io.smallrye.jwt.build.Jwt;

/**
 * Short-lived RS256 tokens with the {@code service} role that this service presents to the
 * internal endpoints of others. The signing key is a PKCS#8 PEM whose public half is in the JWKS
 * every service verifies with; the key id names it there, so it rotates like any other key.
 */
@ApplicationScoped
public class ServiceTokens {

    private final Optional<Path> keyLocation;
    private final Optional<String> keyId;
    private final Optional<Path> keyIdLocation;
    private final String issuer;
    private final String subject;
    private final Set<String> audiences;
    private final Duration ttl;
    private final Clock clock;
    private volatile String token;
    private volatile Instant renewAt = Instant.MIN;

    public ServiceTokens(KitConfig config,
            @ConfigProperty(name = "mp.jwt.verify.issuer") String issuer,
            @ConfigProperty(name = "quarkus.application.name") String subject,
            @ConfigProperty(name = "mp.jwt.verify.audiences") java.util.List<String> audiences,
            Clock clock) {
        this.keyLocation = config.serviceToken().signingKeyLocation();
        this.keyId = config.serviceToken().keyId();
        this.keyIdLocation = config.serviceToken().keyIdLocation();
        this.issuer = issuer;
        this.subject = subject;
        this.audiences = Set.copyOf(audiences);
        this.ttl = config.serviceToken().ttl();
        this.clock = clock;
    }

    /** A valid token, minted again a minute before the previous one expires. */
    public String current() {
        Instant now = clock.instant();
        String t = token;
        if (t != null && now.isBefore(renewAt)) {
            return t;
        }
        synchronized (this) {
            if (token == null || !now.isBefore(renewAt)) {
                token = mint(now);
                renewAt = now.plus(ttl).minus(Duration.ofMinutes(1).compareTo(ttl) < 0 ? Duration.ofMinutes(1) : ttl.dividedBy(2));
            }
            return token;
        }
    }

    private String mint(Instant now) {
        Path location = keyLocation.orElseThrow(() -> new IllegalStateException(
                "No service token signing key: set kit.service-token.signing-key-location (KIT_SERVICE_TOKEN_SIGNING_KEY_LOCATION)"));
        try {
            String kid = keyId.isPresent() ? keyId.get()
                    : keyIdLocation.isPresent() ? Files.readString(keyIdLocation.get()).trim() : null;
            var builder = Jwt.issuer(issuer).subject(subject).audience(audiences).groups(Set.of(Roles.SERVICE))
                    .issuedAt(now).expiresAt(now.plus(ttl)).jws();
            if (kid != null) {
                builder.keyId(kid);
            }
            return builder.sign(readKey(location));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign a service token with " + location, e);
        }
    }

    private static PrivateKey readKey(Path pem) throws IOException, GeneralSecurityException {
        String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
