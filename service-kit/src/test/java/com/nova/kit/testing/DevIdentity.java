package com.nova.kit.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The development identity provider: an RS256 key pair for user tokens, one more per service for
 * its service tokens (verifiers honour the {@code service} role only under a service's own key,
 * for that service's name), a JWKS with all of them in a git-ignored folder, and tokens signed
 * with them. No dependencies beyond the JDK, so the local scripts run this very file
 * ({@code java DevIdentity.java ...}) and the tests call it as a class.
 *
 * <pre>
 * java DevIdentity.java keys   DIR                      create the key pair and JWKS unless present
 * java DevIdentity.java rotate DIR                      new signing key; the JWKS keeps the old public key
 * java DevIdentity.java token  DIR SUBJECT ROLES [TTL]  print a signed JWT (ROLES comma-separated;
 *                                                       the role service alone: SUBJECT's own service key)
 * java DevIdentity.java trusted-keys DIR                print service=kid,... for KIT_SERVICE_TOKEN_TRUSTED_KEYS
 * </pre>
 */
public final class DevIdentity {

    public static final String DEFAULT_ISSUER = "https://identity.nova.local";
    public static final String DEFAULT_AUDIENCE = "nova-suite";

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private DevIdentity() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            usage();
        }
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "keys" -> {
                if (ensureKeys(dir)) {
                    System.err.println("Generated a development signing key in " + dir);
                }
            }
            case "rotate" -> {
                rotate(dir);
                System.err.println("Rotated the development signing key in " + dir + "; new kid " + currentKid(dir));
            }
            case "token" -> {
                if (args.length < 4) {
                    usage();
                }
                long ttl = args.length > 4 ? Long.parseLong(args[4]) : 3600;
                ensureKeys(dir);
                String issuer = System.getenv().getOrDefault("JWT_ISSUER", DEFAULT_ISSUER);
                String audience = System.getenv().getOrDefault("JWT_AUDIENCE", DEFAULT_AUDIENCE);
                List<String> roles = List.of(args[3].split(","));
                System.out.println(roles.equals(List.of("service")) ? serviceToken(dir, issuer, audience, args[2], ttl)
                        : token(dir, issuer, audience, args[2], roles, ttl));
            }
            case "trusted-keys" -> {
                ensureKeys(dir);
                System.out.println(trustedKeys(dir));
            }
            default -> usage();
        }
    }

    private static void usage() {
        System.err.println("usage: DevIdentity keys|rotate DIR  |  DevIdentity token DIR SUBJECT ROLE[,ROLE...] [TTL_SECONDS]");
        System.exit(2);
    }

    /** Creates the key pair and JWKS unless they exist; true when it created them. */
    public static synchronized boolean ensureKeys(Path dir) throws IOException, java.security.GeneralSecurityException {
        boolean created = false;
        if (!Files.exists(dir.resolve("private.pem")) || !Files.exists(dir.resolve("jwks.json"))) {
            Files.createDirectories(dir);
            writeNewKey(dir, List.of());
            created = true;
        }
        for (String service : SERVICES) {
            created |= ensureServiceKey(dir, service);
        }
        return created;
    }

    /** The suite's services, each with a service key of its own. */
    public static final List<String> SERVICES = List.of("wallet-service", "webhook-gateway", "auction-service",
            "buyer-registry");

    /**
     * Creates {@code service}'s key unless it exists, and publishes it in the JWKS. Folders made
     * before per-service keys existed get them added; the user key stays as it is.
     */
    public static synchronized boolean ensureServiceKey(Path dir, String service)
            throws IOException, java.security.GeneralSecurityException {
        if (Files.exists(servicePrivateKey(dir, service))) {
            return false;
        }
        KeyPair pair = newPair();
        String kid = newKid("dev-" + service + "-");
        writePrivate(dir, "service-" + service + "-", pair, kid);
        List<String> keys = jwksEntries(dir);
        keys.add(jwk(kid, (RSAPublicKey) pair.getPublic()));
        Files.writeString(dir.resolve("jwks.json"), "{\"keys\":[" + String.join(",", keys) + "]}\n");
        return true;
    }

    public static String serviceKid(Path dir, String service) throws IOException {
        return Files.readString(serviceKidFile(dir, service)).trim();
    }

    public static Path servicePrivateKey(Path dir, String service) {
        return dir.resolve("service-" + service + "-private.pem");
    }

    public static Path serviceKidFile(Path dir, String service) {
        return dir.resolve("service-" + service + "-kid");
    }

    /** {@code service=kid,...}: what verifiers are told (KIT_SERVICE_TOKEN_TRUSTED_KEYS). */
    public static String trustedKeys(Path dir) throws IOException {
        List<String> pairs = new ArrayList<>();
        for (String service : SERVICES) {
            pairs.add(service + "=" + serviceKid(dir, service));
        }
        return String.join(",", pairs);
    }

    /** A new signing key; the JWKS keeps every earlier public key so tokens already issued still verify. */
    public static synchronized void rotate(Path dir) throws IOException, java.security.GeneralSecurityException {
        ensureKeys(dir);
        writeNewKey(dir, jwksEntries(dir));
    }

    private static List<String> jwksEntries(Path dir) throws IOException {
        List<String> previous = new ArrayList<>();
        String jwks = Files.readString(dir.resolve("jwks.json"));
        String body = jwks.substring(jwks.indexOf('[') + 1, jwks.lastIndexOf(']')).trim();
        if (!body.isEmpty()) {
            for (String key : body.split("\\},\\s*\\{")) {
                String k = key.trim();
                if (!k.startsWith("{")) {
                    k = "{" + k;
                }
                if (!k.endsWith("}")) {
                    k = k + "}";
                }
                previous.add(k);
            }
        }
        return previous;
    }

    public static String currentKid(Path dir) throws IOException {
        return Files.readString(dir.resolve("kid")).trim();
    }

    private static void writeNewKey(Path dir, List<String> previousJwks) throws IOException, java.security.GeneralSecurityException {
        KeyPair pair = newPair();
        String kid = newKid("dev-");
        RSAPublicKey pub = (RSAPublicKey) pair.getPublic();
        List<String> keys = new ArrayList<>();
        keys.add(jwk(kid, pub));
        keys.addAll(previousJwks);
        writePrivate(dir, "", pair, kid);
        Files.writeString(dir.resolve("public.pem"), pem("PUBLIC KEY", pub.getEncoded()));
        Files.writeString(dir.resolve("jwks.json"), "{\"keys\":[" + String.join(",", keys) + "]}\n");
    }

    private static KeyPair newPair() throws java.security.GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static String newKid(String prefix) {
        return prefix + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now())
                + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The public half of a key as a JWK, for a JWKS. */
    public static String jwk(String kid, RSAPublicKey pub) {
        return "{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"" + kid + "\",\"n\":\""
                + B64URL.encodeToString(unsigned(pub.getModulus())) + "\",\"e\":\""
                + B64URL.encodeToString(unsigned(pub.getPublicExponent())) + "\"}";
    }

    private static void writePrivate(Path dir, String prefix, KeyPair pair, String kid) throws IOException {
        Path privateKey = dir.resolve(prefix + "private.pem");
        Files.writeString(privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        try {
            Files.setPosixFilePermissions(privateKey, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        Files.writeString(dir.resolve(prefix + "kid"), kid + "\n");
    }

    /** A user token for the suite's audience. */
    public static String token(Path dir, String issuer, String subject, List<String> roles, long ttlSeconds)
            throws IOException, java.security.GeneralSecurityException {
        return token(dir, issuer, DEFAULT_AUDIENCE, subject, roles, ttlSeconds);
    }

    /** A signed RS256 JWT with {@code iss}, {@code aud}, {@code sub}, {@code groups}, {@code iat}, {@code exp}, {@code jti}. */
    public static String token(Path dir, String issuer, String audience, String subject, List<String> roles, long ttlSeconds)
            throws IOException, java.security.GeneralSecurityException {
        return sign(readPrivateKey(dir.resolve("private.pem")), currentKid(dir), issuer, audience, subject, roles, ttlSeconds,
                Map.of());
    }

    /** A service token: the {@code service} role, {@code sub} the service, signed by that service's own key. */
    public static String serviceToken(Path dir, String issuer, String audience, String service, long ttlSeconds)
            throws IOException, java.security.GeneralSecurityException {
        ensureServiceKey(dir, service);
        return sign(readPrivateKey(servicePrivateKey(dir, service)), serviceKid(dir, service), issuer, audience, service,
                List.of("service"), ttlSeconds, Map.of());
    }

    /**
     * A token with any key, key id and extra claims ({@code null} audience: none): for tests of
     * what verifiers refuse. Extra claims are JSON string values.
     */
    public static String sign(PrivateKey key, String kid, String issuer, String audience, String subject, List<String> roles,
            long ttlSeconds, Map<String, String> extraClaims) throws java.security.GeneralSecurityException {
        long now = Instant.now().getEpochSecond();
        StringBuilder groups = new StringBuilder();
        for (String role : roles) {
            if (role.isBlank()) {
                continue;
            }
            groups.append(groups.length() == 0 ? "" : ",").append('"').append(escape(role.trim())).append('"');
        }
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"" + (kid == null ? "" : ",\"kid\":\"" + escape(kid) + "\"") + "}";
        StringBuilder extra = new StringBuilder();
        if (audience != null) {
            extra.append(",\"aud\":\"").append(escape(audience)).append('"');
        }
        if (subject != null) {
            extra.append(",\"sub\":\"").append(escape(subject)).append('"');
        }
        extraClaims.forEach((k, v) -> extra.append(",\"").append(escape(k)).append("\":\"").append(escape(v)).append('"'));
        String payload = "{\"iss\":\"" + escape(issuer) + "\"" + extra + ",\"groups\":[" + groups + "],\"iat\":" + now
                + ",\"exp\":" + (now + ttlSeconds) + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
        String signingInput = B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + B64URL.encodeToString(signature.sign());
    }

    public static PrivateKey readPrivateKey(Path pem) throws IOException, java.security.GeneralSecurityException {
        String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            byte[] trimmed = new byte[bytes.length - 1];
            System.arraycopy(bytes, 1, trimmed, 0, trimmed.length);
            return trimmed;
        }
        return bytes;
    }

    private static String escape(String value) {
        StringBuilder sb = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
