package com.nova.kit.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.restassured.response.Response;

/**
 * The contract every service keeps with operators and clients: readiness covering PostgreSQL and
 * Redis, deny-by-default JWT with problem+json errors carrying the request id, metrics and OpenAPI.
 * Each service runs it with one of its own protected endpoints, a role that may call it and one
 * that may not: {@code class WalletContractTest extends ServiceContractTest { WalletContractTest() {
 * super("/v1/wallets/me", "driver", "merchant"); } }}.
 */
public abstract class ServiceContractTest {

    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    /** A GET endpoint of this service that needs a token, a role that may call it, and a role that may not. */
    private final String protectedPath, allowedRole, deniedRole;

    protected ServiceContractTest(String protectedPath, String allowedRole, String deniedRole) {
        this.protectedPath = protectedPath;
        this.allowedRole = allowedRole;
        this.deniedRole = deniedRole;
    }

    @Test
    void readinessCoversDatabaseAndRedis() {
        given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(matchesPattern("(?i).*postgres.*")))
                .body("checks.name", hasItem(matchesPattern("(?i).*redis.*")));
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void missingTokenIsProblemJsonWithRequestId() {
        Response response = given().when().get(protectedPath);
        response.then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401))
                .body("type", equalTo("urn:nova:problem:unauthorized"))
                .body("title", notNullValue())
                .body("detail", notNullValue())
                .body("instance", equalTo(protectedPath));
        String id = response.header("X-Request-ID");
        assertEquals(id, response.jsonPath().getString("requestId"));
        org.hamcrest.MatcherAssert.assertThat(id, matchesPattern(UUID_PATTERN));
    }

    @Test
    void suppliedRequestIdIsEchoed() {
        given().header("X-Request-ID", "client-req-0001").when().get(protectedPath).then()
                .statusCode(401)
                .header("X-Request-ID", "client-req-0001")
                .body("requestId", equalTo("client-req-0001"));
        given().header("X-Request-ID", "client-req-0002").header("Authorization", TestTokens.bearer("u-1", allowedRole))
                .when().get(protectedPath).then()
                .statusCode(200)
                .header("X-Request-ID", "client-req-0002");
    }

    @Test
    void malformedRequestIdIsReplaced() {
        given().header("X-Request-ID", "bad id\twith spaces").when().get(protectedPath).then()
                .statusCode(401)
                .header("X-Request-ID", matchesPattern(UUID_PATTERN));
        given().header("X-Request-ID", "x".repeat(300)).when().get(protectedPath).then()
                .header("X-Request-ID", matchesPattern(UUID_PATTERN));
    }

    @Test
    void validTokenIsAcceptedAndWrongRoleForbidden() {
        TestRequests.as("u-2", allowedRole).when().get(protectedPath).then()
                .statusCode(200);
        TestRequests.as("u-3", deniedRole).when().get(protectedPath).then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:nova:problem:forbidden"))
                .body("requestId", notNullValue());
    }

    @Test
    void theBrowserSessionCookieAuthenticatesToo() {
        given().cookie("nova_session", TestTokens.token("u-7", allowedRole)).when().get(protectedPath).then()
                .statusCode(200);
        given().cookie("nova_session", TestTokens.token("u-8", -120, allowedRole)).when().get(protectedPath).then()
                .statusCode(401);
    }

    @Test
    void expiredOrForeignTokensAreRefused() throws Exception {
        given().header("Authorization", "Bearer " + TestTokens.token("u-4", -120, allowedRole))
                .when().get(protectedPath).then().statusCode(401).contentType("application/problem+json");
        Path foreign = Files.createTempDirectory("foreign-idp");
        DevIdentity.ensureKeys(foreign);
        String forged = DevIdentity.token(foreign, DevIdentity.DEFAULT_ISSUER, "u-5", List.of(allowedRole, "admin"), 600);
        given().header("Authorization", "Bearer " + forged).when().get(protectedPath).then().statusCode(401);
        given().header("Authorization", "Bearer not.a.jwt").when().get(protectedPath).then().statusCode(401);
    }

    @Test
    void tokensMustNameTheSuiteAsTheirAudience() throws Exception {
        java.security.PrivateKey key = DevIdentity.readPrivateKey(TestTokens.KEYS.resolve("private.pem"));
        String kid = DevIdentity.currentKid(TestTokens.KEYS);
        String right = DevIdentity.sign(key, kid, DevIdentity.DEFAULT_ISSUER, DevIdentity.DEFAULT_AUDIENCE, "u-9",
                List.of(allowedRole), 600, java.util.Map.of());
        given().header("Authorization", "Bearer " + right).when().get(protectedPath).then().statusCode(200);
        String none = DevIdentity.sign(key, kid, DevIdentity.DEFAULT_ISSUER, null, "u-9", List.of(allowedRole), 600,
                java.util.Map.of());
        given().header("Authorization", "Bearer " + none).when().get(protectedPath).then().statusCode(401)
                .contentType("application/problem+json");
        String other = DevIdentity.sign(key, kid, DevIdentity.DEFAULT_ISSUER, "another-app", "u-9", List.of(allowedRole),
                600, java.util.Map.of());
        given().header("Authorization", "Bearer " + other).when().get(protectedPath).then().statusCode(401);
    }

    @Test
    void tokensWithoutASubjectAreRefused() throws Exception {
        java.security.PrivateKey key = DevIdentity.readPrivateKey(TestTokens.KEYS.resolve("private.pem"));
        String noSub = DevIdentity.sign(key, DevIdentity.currentKid(TestTokens.KEYS), DevIdentity.DEFAULT_ISSUER,
                DevIdentity.DEFAULT_AUDIENCE, null, List.of(allowedRole), 600, java.util.Map.of("upn", "u-10"));
        given().header("Authorization", "Bearer " + noSub).when().get(protectedPath).then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void serviceTokensAreRefusedOnPublicEndpoints() {
        TestRequests.as("auction-service", "service").when().get(protectedPath).then()
                .statusCode(403)
                .contentType("application/problem+json");
    }

    /** Out-of-range, overlong, malformed and hostile values every parameter of every operation is tried with. */
    private static final List<String> BAD_VALUES = List.of("-1", "0", "-9223372036854775809", "9223372036854775808",
            "2147483648", "-2147483649", "99999999999999999999999999", "1e400", "NaN", "0x1F", "1.5", "abc", "", " ",
            "x".repeat(2000), "%00", "' OR '1'='1", "<script>alert(1)</script>", "../../etc/passwd", "{{7*7}}",
            "2026-02-30T25:61:00Z", "9999-99-99", "-999999999-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z",
            "eyJhIjoxfQ", "AAAA====", "\u00e9\u6f22\ud83d\ude00", "true", "null", "[]");

    @Test
    void everyParameterOfEveryOperationAnswersBadValuesWithoutA500() throws Exception {
        com.fasterxml.jackson.databind.JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(given().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
        List<String> failures = new java.util.ArrayList<>();
        int tried = 0;
        var paths = doc.path("paths").fields();
        while (paths.hasNext()) {
            var path = paths.next();
            var ops = path.getValue().fields();
            while (ops.hasNext()) {
                var op = ops.next();
                String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
                List<com.fasterxml.jackson.databind.JsonNode> params = new java.util.ArrayList<>();
                op.getValue().path("parameters").forEach(params::add);
                for (com.fasterxml.jackson.databind.JsonNode fuzzed : params) {
                    for (String bad : BAD_VALUES) {
                        tried++;
                        Response r = send(method, path.getKey(), params, fuzzed, bad);
                        int status = r.statusCode();
                        String type = r.contentType() == null ? "" : r.contentType();
                        if (status >= 500 && status != 503 || (status >= 400 && !type.startsWith("application/problem+json"))) {
                            failures.add(method + " " + path.getKey() + " " + fuzzed.path("in").asText() + " "
                                    + fuzzed.path("name").asText() + "=" + (bad.length() > 40 ? bad.substring(0, 40) + "..." : bad)
                                    + " -> " + status + " " + type);
                        }
                    }
                }
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(tried > 0, "the OpenAPI document lists parameters");
        assertEquals(List.of(), failures, "answers to bad parameter values");
    }

    private static Response send(String method, String template, List<com.fasterxml.jackson.databind.JsonNode> params,
            com.fasterxml.jackson.databind.JsonNode fuzzed, String bad) {
        String token = template.startsWith("/internal/")
                ? TestTokens.token(template.contains("webhook-secrets") || template.endsWith("/ids") ? "webhook-gateway"
                        : "auction-service", "service")
                : TestTokens.token("fuzz-" + java.util.UUID.randomUUID(), "admin", "driver", "publisher", "buyer", "merchant");
        var spec = given().urlEncodingEnabled(false).header("Authorization", "Bearer " + token);
        String path = template;
        for (com.fasterxml.jackson.databind.JsonNode p : params) {
            String name = p.path("name").asText();
            boolean isFuzzed = p == fuzzed;
            String value = isFuzzed ? bad : validLooking(p);
            switch (p.path("in").asText()) {
                case "path" -> path = path.replace("{" + name + "}", encode(value));
                case "query" -> {
                    if (isFuzzed) {
                        spec = spec.queryParam(name, encode(value));
                    }
                }
                case "header" -> {
                    if (isFuzzed && !value.isEmpty() && value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                        spec = spec.header(name, value);
                    } else if (!isFuzzed && name.equals("Idempotency-Key")) {
                        spec = spec.header(name, "fuzz-" + java.util.UUID.randomUUID());
                    }
                }
                default -> {
                }
            }
        }
        if (!method.equals("GET") && !method.equals("DELETE") && !method.equals("HEAD")) {
            spec = spec.contentType("application/json").body("{}");
        }
        return spec.request(method, path);
    }

    private static String validLooking(com.fasterxml.jackson.databind.JsonNode param) {
        com.fasterxml.jackson.databind.JsonNode schema = param.path("schema");
        String pattern = schema.path("pattern").asText("");
        if (schema.path("format").asText().equals("uuid") || pattern.contains("a-fA-F") || pattern.contains("a-f]{8}")) {
            return java.util.UUID.randomUUID().toString();
        }
        if (schema.path("type").asText().equals("integer")) {
            return "1";
        }
        if (pattern.equals("[A-Z]{3}")) {
            return "EUR";
        }
        return "x1";
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void unknownPathIsProblemJson() {
        given().when().get("/no/such/path").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("requestId", notNullValue());
    }

    @Test
    void metricsAndOpenApiAreServed() {
        TestRequests.as("u-6", allowedRole).get(protectedPath);
        given().when().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("http_server_requests_seconds_count"))
                .body(containsString("http_server_requests_seconds_bucket"));
        given().when().get("/q/openapi?format=json").then()
                .statusCode(200)
                .body(not(containsString("Exception")));
    }
}
