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
 * java DevIdentity.java idp    DIR PORT [TTL] [URI...]  serve the development sign-in ({@link Provider}) on 127.0.0.1:PORT
 *                                                       for the app's redirect URIs (default http://localhost:8081/app/)
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
            case "idp" -> {
                if (args.length < 3) {
                    usage();
                }
                ensureKeys(dir);
                List<String> redirects = args.length > 4 ? List.of(args).subList(4, args.length) : List.of("http://localhost:8081/app/");
                Provider idp = Provider.start(dir, Integer.parseInt(args[2]), args.length > 3 ? Long.parseLong(args[3]) : 3600,
                        Provider.CLIENT_ID, redirects);
                System.err.println("DEVELOPMENT SIGN-IN (not a real identity provider) on " + idp.url("/authorize"));
                Thread.currentThread().join();
            }
            default -> usage();
        }
    }

    private static void usage() {
        System.err.println("usage: DevIdentity keys|rotate DIR  |  DevIdentity token DIR SUBJECT ROLE[,ROLE...] [TTL_SECONDS]"
                + "  |  DevIdentity idp DIR PORT [TTL_SECONDS [REDIRECT_URI...]]");
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

    /**
     * The development sign-in, for local runs and tests and never for production: it signs a
     * driver token for whatever driver id is typed. It answers as an OAuth 2.0 authorization server
     * does for a public browser client using the authorization code flow with PKCE (RFC 6749 4.1,
     * RFC 7636, S256 only): {@code GET /authorize} shows a clearly labelled form, its {@code POST}
     * redirects back with a single-use code that lives 60 s (or with {@code error=access_denied}
     * when cancelled), and {@code POST /token} exchanges the code and its verifier for a token
     * ({@code invalid_grant} otherwise), readable cross-origin by the origins of the registered
     * redirect URIs only. Like a real IdP it knows its client and its redirect URIs ({@code *} in
     * one stands for any port, for tests on free ports) and never redirects elsewhere: an unknown
     * client or address gets a page saying so. Tests make the token endpoint fail or slow down.
     */
    public static final class Provider implements AutoCloseable {

        /** The driver app's public client id (wallet.frontend.identity.client-id's default). */
        public static final String CLIENT_ID = "nova-driver-app";

        private static final java.util.regex.Pattern SUBJECT = java.util.regex.Pattern.compile("[A-Za-z0-9_.:\\-]{1,128}");
        private static final java.util.regex.Pattern CHALLENGE = java.util.regex.Pattern.compile("[A-Za-z0-9_\\-]{43,128}");
        private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

        private record Grant(String subject, String clientId, String redirectUri, String challenge, Instant expires) {
        }

        private final com.sun.net.httpserver.HttpServer server;
        private final Path keys;
        private final long ttlSeconds;
        private final String clientId;
        private final List<java.util.regex.Pattern> redirects;
        private final List<java.util.regex.Pattern> origins;
        private final Map<String, Grant> codes = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
        private volatile int failureStatus = 503;
        private volatile long delayMillis;

        private Provider(com.sun.net.httpserver.HttpServer server, Path keys, long ttlSeconds, String clientId,
                List<String> redirectUris) {
            this.server = server;
            this.keys = keys;
            this.ttlSeconds = ttlSeconds;
            this.clientId = clientId;
            this.redirects = redirectUris.stream().map(Provider::wildcard).toList();
            this.origins = redirectUris.stream().map(u -> u.substring(0, u.indexOf('/', u.indexOf("://") + 3))).map(Provider::wildcard)
                    .toList();
        }

        /** {@code *} stands for a port number; everything else must be equal. */
        private static java.util.regex.Pattern wildcard(String uri) {
            StringBuilder regex = new StringBuilder();
            String[] parts = uri.split("\\*", -1);
            for (int i = 0; i < parts.length; i++) {
                regex.append(i == 0 ? "" : "[0-9]{1,5}").append(java.util.regex.Pattern.quote(parts[i]));
            }
            return java.util.regex.Pattern.compile(regex.toString());
        }

        /**
         * Serves on 127.0.0.1:port (0: any free port), signing with the keys in {@code keys}, for the client
         * {@code clientId} redirecting to one of {@code redirectUris}.
         */
        public static Provider start(Path keys, int port, long ttlSeconds, String clientId, List<String> redirectUris)
                throws IOException, java.security.GeneralSecurityException {
            ensureKeys(keys);
            System.setProperty("sun.net.httpserver.nodelay", "true"); // as HttpStubs: no ~40 ms Nagle wait per answer
            com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                    new java.net.InetSocketAddress("127.0.0.1", port), 0);
            Provider idp = new Provider(server, keys, ttlSeconds, clientId, redirectUris);
            server.createContext("/authorize", idp::authorize);
            server.createContext("/token", idp::token);
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.start();
            return idp;
        }

        public int port() {
            return server.getAddress().getPort();
        }

        /** An address of this provider as browsers reach it. */
        public String url(String path) {
            return "http://localhost:" + port() + path;
        }

        /** The next {@code count} token requests answer {@code status} with {@code temporarily_unavailable}. */
        public void failNextTokenRequests(int count, int status) {
            failureStatus = status;
            failures.set(count);
        }

        /** Every token request waits this long before it answers. */
        public void delayTokenRequests(java.time.Duration delay) {
            delayMillis = delay.toMillis();
        }

        @Override
        public void close() {
            server.stop(0);
        }

        private void authorize(com.sun.net.httpserver.HttpExchange ex) throws IOException {
            try (ex) {
                Map<String, String> q = form("GET".equals(ex.getRequestMethod()) ? ex.getRequestURI().getRawQuery()
                        : new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                String redirect = q.getOrDefault("redirect_uri", "");
                if (!clientId.equals(q.get("client_id")) || redirects.stream().noneMatch(r -> r.matcher(redirect).matches())) {
                    // Never redirect to an address not registered for this client: say it here.
                    page(ex, 400, "<p>Unknown client_id, or a redirect_uri not registered for it.</p>");
                    return;
                }
                String state = q.getOrDefault("state", "");
                if (!"code".equals(q.get("response_type")) || q.getOrDefault("client_id", "").isBlank()
                        || !"S256".equals(q.get("code_challenge_method")) || !CHALLENGE.matcher(q.getOrDefault("code_challenge", "")).matches()) {
                    back(ex, redirect, "error=invalid_request&error_description="
                            + enc("response_type=code, client_id and an S256 code_challenge are required"), state);
                    return;
                }
                if ("GET".equals(ex.getRequestMethod())) {
                    StringBuilder hidden = new StringBuilder();
                    for (String name : List.of("response_type", "client_id", "redirect_uri", "state", "code_challenge",
                            "code_challenge_method", "scope")) {
                        hidden.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"")
                                .append(html(q.getOrDefault(name, ""))).append("\">");
                    }
                    page(ex, 200, "<form method=\"post\" action=\"/authorize\">" + hidden
                            + "<label for=\"subject\">Driver id</label><input id=\"subject\" name=\"subject\" required"
                            + " pattern=\"[A-Za-z0-9_.:\\-]{1,128}\" autocomplete=\"username\" autofocus value=\"driver-42\">"
                            + "<p><button type=\"submit\" name=\"action\" value=\"sign-in\">Sign in as this driver</button> "
                            + "<button type=\"submit\" name=\"action\" value=\"cancel\" formnovalidate>Cancel</button></p></form>");
                    return;
                }
                if ("cancel".equals(q.get("action"))) {
                    back(ex, redirect, "error=access_denied&error_description=" + enc("The sign-in was cancelled"), state);
                    return;
                }
                String subject = q.getOrDefault("subject", "");
                if (!SUBJECT.matcher(subject).matches()) {
                    page(ex, 400, "<p>A driver id is 1 to 128 letters, digits or <code>_ . : -</code>.</p>");
                    return;
                }
                byte[] bytes = new byte[32];
                RANDOM.nextBytes(bytes);
                String code = B64URL.encodeToString(bytes);
                codes.put(code, new Grant(subject, q.get("client_id"), redirect, q.get("code_challenge"), Instant.now().plusSeconds(60)));
                back(ex, redirect, "code=" + code, state);
            }
        }

        private void token(com.sun.net.httpserver.HttpExchange ex) throws IOException {
            try (ex) {
                String origin = ex.getRequestHeaders().getFirst("Origin");
                if (origin != null && origins.stream().anyMatch(o -> o.matcher(origin).matches())) {
                    ex.getResponseHeaders().set("Access-Control-Allow-Origin", origin);
                    ex.getResponseHeaders().set("Vary", "Origin");
                }
                if ("OPTIONS".equals(ex.getRequestMethod())) {
                    ex.getResponseHeaders().set("Access-Control-Allow-Methods", "POST");
                    ex.getResponseHeaders().set("Access-Control-Allow-Headers", "Content-Type");
                    ex.sendResponseHeaders(204, -1);
                    return;
                }
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                if (!"POST".equals(ex.getRequestMethod())) {
                    json(ex, 405, "{\"error\":\"invalid_request\",\"error_description\":\"POST the token request\"}");
                    return;
                }
                if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    json(ex, failureStatus, "{\"error\":\"temporarily_unavailable\",\"error_description\":\"The identity provider is unavailable; try again\"}");
                    return;
                }
                Map<String, String> f = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                Grant grant = codes.remove(f.getOrDefault("code", ""));
                if (!"authorization_code".equals(f.get("grant_type"))) {
                    json(ex, 400, "{\"error\":\"unsupported_grant_type\"}");
                } else if (grant == null || grant.expires().isBefore(Instant.now()) || !grant.clientId().equals(f.get("client_id"))
                        || !grant.redirectUri().equals(f.get("redirect_uri"))
                        || !grant.challenge().equals(B64URL.encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(f.getOrDefault("code_verifier", "").getBytes(StandardCharsets.US_ASCII))))) {
                    json(ex, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"The code is unknown, used, expired, or not this verifier's\"}");
                } else {
                    String token = DevIdentity.token(keys, System.getenv().getOrDefault("JWT_ISSUER", DEFAULT_ISSUER),
                            System.getenv().getOrDefault("JWT_AUDIENCE", DEFAULT_AUDIENCE), grant.subject(), List.of("driver"), ttlSeconds);
                    ex.getResponseHeaders().set("Cache-Control", "no-store");
                    json(ex, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":" + ttlSeconds + "}");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.security.GeneralSecurityException e) {
                json(ex, 500, "{\"error\":\"server_error\"}");
            }
        }

        private static void back(com.sun.net.httpserver.HttpExchange ex, String redirect, String query, String state) throws IOException {
            ex.getResponseHeaders().set("Location", redirect + (redirect.contains("?") ? "&" : "?") + query + "&state=" + enc(state));
            ex.sendResponseHeaders(303, -1);
        }

        private static void page(com.sun.net.httpserver.HttpExchange ex, int status, String body) throws IOException {
            String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                    + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Development sign-in</title>"
                    + "<style>body{font:16px system-ui,sans-serif;margin:1.5rem;max-width:30rem}input{font:inherit;padding:.5rem;width:100%;"
                    + "box-sizing:border-box}button{font:inherit;padding:.5rem 1rem}.dev{background:#fff3cd;border:1px solid #c69500;"
                    + "padding:.75rem}</style></head><body><h1>Development sign-in</h1><p class=\"dev\" role=\"note\"><strong>Local stand-in, "
                    + "not the real identity provider.</strong> It signs in as any driver id you type; it never runs in production.</p>"
                    + body + "</body></html>";
            byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
        }

        private static void json(com.sun.net.httpserver.HttpExchange ex, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
        }

        private static Map<String, String> form(String raw) {
            Map<String, String> values = new java.util.HashMap<>();
            if (raw == null || raw.isEmpty()) {
                return values;
            }
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String name = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                values.putIfAbsent(name, eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            return values;
        }

        private static String enc(String value) {
            return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
        }

        private static String html(String value) {
            return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
        }
    }
}
