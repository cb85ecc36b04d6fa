package com.nova.suite;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nova.kit.testing.RunningSuite;
import com.nova.kit.testing.TestTokens;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The access matrix (IDOR included), generated from the running services' own OpenAPI documents:
 * every operation of every service, tried by every kind of caller (no token, each user role, each
 * peer service's token) as principal A, on A's own resources and on principal B's.
 *
 * <p>Who may call an operation is read from the document, never written here: an operation's
 * {@code security} names the bearer scheme with the roles allowed ({@code []}: any signed-in
 * caller), {@code [{}]} (anyone), or a signature scheme (no token opens it). An operation the
 * matrix cannot classify (no {@code security}, roles on a non-token scheme, a role no caller
 * here holds, a path parameter whose resource it does not know, a role allowed on a resource it
 * cannot own) fails the test, so a new endpoint cannot escape it. The expectations:
 * <ul>
 * <li>callers the operation does not allow: 401 without a token, 403 with one, as problem+json;</li>
 * <li>allowed callers on their own resources: not refused (no 401/403, and no 404 from the ownership check);</li>
 * <li>allowed callers on another principal's resource: 403/404, never that resource (admins and
 * peers, who may act on anyone's, excepted);</li>
 * <li>nobody but admins and peers ever sees any of principal B's ids or data in an answer;</li>
 * <li>every answer is marked as data, not a page: one Content-Security-Policy with {@code frame-ancestors 'none'}, and nosniff;</li>
 * <li>never a 5xx (a 503 aside: it means "try again", not a fault).</li>
 * </ul>
 * Resources of A and B (wallets, buyers, leads sold to their buyers) are created through the APIs first.
 */
@ExtendWith(RunningSuite.class)
class AccessMatrixTest {

    private static final List<String> SERVICES = List.of("wallet-service", "webhook-gateway", "auction-service",
            "buyer-registry");
    private static final List<String> USER_ROLES = List.of("driver", "merchant", "publisher", "buyer", "admin");
    private static final List<String> PEERS = List.of("auction-service", "webhook-gateway");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    /** The run's tag in letters only, for fields that take names. */
    private static final String RUN_LETTERS = RUN.chars().mapToObj(c -> String.valueOf((char) (Character.isDigit(c) ? 'q' + c - '0' : c)))
            .collect(java.util.stream.Collectors.joining());

    /** What a path parameter names: a resource some role owns, or a value nobody owns. */
    enum Kind {
        DRIVER("driver"), MERCHANT("merchant"), BUYER("buyer"), LEAD("publisher", "buyer"), CURRENCY, PARKED_PURCHASE,
        /** A hold: its driver's, and the merchant's it was made to. */
        HOLD("driver", "merchant"),
        /** The driver whose wallet a hold is on, as a hold's path names it (its merchant acts there too). */
        HOLDER("driver", "merchant");

        /** The roles whose principals own resources of this kind (a lead: its publisher, and the buyers it was offered to). */
        final Set<String> owners;

        Kind(String... owners) {
            this.owners = Set.of(owners);
        }
    }

    /** Path parameters by service, path and name; the first match wins. A parameter none matches fails the test. */
    private record ParameterRule(String service, Pattern path, String name, Kind kind) {
    }

    private static final List<ParameterRule> PARAMETERS = List.of(
            new ParameterRule("wallet-service", Pattern.compile("/v1/wallets/\\{driverId}/holds/\\{holdId}(/.*)?"), "driverId", Kind.HOLDER),
            new ParameterRule("wallet-service", Pattern.compile("/v1/wallets/.*\\{holdId}(/.*)?"), "holdId", Kind.HOLD),
            new ParameterRule("wallet-service", Pattern.compile("/v1/wallets/\\{driverId}(/.*)?"), "driverId", Kind.DRIVER),
            new ParameterRule("wallet-service", Pattern.compile("/v1/wallets/merchants/\\{merchantId}/.*"), "merchantId", Kind.MERCHANT),
            new ParameterRule("wallet-service", Pattern.compile("/v1/wallets/(merchants/\\{merchantId}/)?earn-rates/\\{currency}"),
                    "currency", Kind.CURRENCY),
            new ParameterRule("wallet-service", Pattern.compile("/v1/wallets/parked-purchases/\\{id}/.*"), "id", Kind.PARKED_PURCHASE),
            new ParameterRule("auction-service", Pattern.compile("/v1/leads/\\{id}(/.*)?"), "id", Kind.LEAD),
            new ParameterRule("buyer-registry", Pattern.compile("/(v1|internal)/buyers/\\{id}(/.*)?"), "id", Kind.BUYER),
            new ParameterRule("webhook-gateway", Pattern.compile("/webhooks/buyers/\\{buyerId}"), "buyerId", Kind.BUYER));

    /** Who may call an operation, as its document states it. */
    enum Access {
        PUBLIC, AUTHENTICATED, ROLES, SIGNATURE
    }

    private record Operation(String service, String method, String path, Access access, Set<String> roles,
            Map<String, Kind> pathKinds, List<JsonNode> parameters, boolean hasBody) {
        String name() {
            return method.toUpperCase(Locale.ROOT) + " " + path + " (" + service + ")";
        }
    }

    /** A kind of caller, as principal A: {@code role} is "none", a user role, or "service:<peer>" (a peer's own token). */
    private record Caller(String role, String subject) {
        boolean peer() {
            return role.startsWith("service:");
        }

        /** Admins and peers act on anyone's resources by design. */
        boolean privileged() {
            return role.equals("admin") || peer();
        }
    }

    /** Principals A and B: ids per role, the resources each owns, and B's data that must never reach A. */
    private static final Map<String, String[]> SUBJECTS = new LinkedHashMap<>();
    private static final Map<Kind, String[]> RESOURCES = new HashMap<>();
    private static final Set<String> B_MARKERS = new LinkedHashSet<>();
    private static final Map<String, String> TOKENS = new HashMap<>();
    private static final String ADMIN = TestTokens.bearer("matrix-ops-" + RUN, "admin");

    @BeforeAll
    static void createResourcesOfAAndB() throws Exception {
        String[] buyers = { createBuyer("a", "solar"), createBuyer("b", "roofing") };
        String[] drivers = { "matrix-driver-a-" + RUN, "matrix-driver-b-" + RUN };
        String[] merchants = { "matrix-merchant-a-" + RUN, "matrix-merchant-b-" + RUN };
        String[] publishers = { "matrix-publisher-a-" + RUN, "matrix-publisher-b-" + RUN };
        SUBJECTS.put("driver", drivers);
        SUBJECTS.put("merchant", merchants);
        SUBJECTS.put("publisher", publishers);
        SUBJECTS.put("buyer", buyers);
        SUBJECTS.put("admin", new String[] { "matrix-admin-a-" + RUN, "matrix-admin-b-" + RUN });
        for (String driver : drivers) {
            given().baseUri(RunningSuite.url("wallet-service")).header("Authorization", ADMIN)
                    .header("Idempotency-Key", "matrix-" + driver).contentType(ContentType.JSON)
                    .body(Map.of("direction", "CREDIT", "amount", 500, "reason", "access matrix fixture"))
                    .post("/v1/wallets/" + driver + "/adjustments").then().statusCode(201);
        }
        // Hold A: driver A's, made to merchant A; hold B likewise for B.
        String[] holds = new String[2];
        for (int i = 0; i < 2; i++) {
            holds[i] = given().baseUri(RunningSuite.url("wallet-service")).header("Authorization", TestTokens.bearer(drivers[i], "driver"))
                    .header("Idempotency-Key", "matrix-hold-" + drivers[i]).contentType(ContentType.JSON)
                    .body(Map.of("merchantId", merchants[i], "amount", 100)).post("/v1/wallets/me/holds").then().statusCode(201)
                    .extract().path("holdId");
        }
        RESOURCES.put(Kind.HOLD, holds);
        RESOURCES.put(Kind.HOLDER, drivers);
        // Lead A: publisher A's, sold to (so offered to) buyer A alone; lead B likewise for B.
        String[] leads = { soldLead(publishers[0], "solar", buyers[0], "Alpha"), soldLead(publishers[1], "roofing", buyers[1], "Bravo") };
        RESOURCES.put(Kind.DRIVER, drivers);
        RESOURCES.put(Kind.MERCHANT, merchants);
        RESOURCES.put(Kind.BUYER, buyers);
        RESOURCES.put(Kind.LEAD, leads);
        RESOURCES.put(Kind.CURRENCY, new String[] { "EUR", "EUR" });
        RESOURCES.put(Kind.PARKED_PURCHASE, new String[] { "987654321", "987654321" });
        for (String[] ids : SUBJECTS.values()) {
            B_MARKERS.add(ids[1]);
        }
        B_MARKERS.add(leads[1]);
        B_MARKERS.add("Matrix Buyer b " + RUN);
        B_MARKERS.add("Bravo" + RUN_LETTERS);
    }

    @Test
    void everyOperationAnswersEveryCallerAsItsOpenApiDocumentSays() throws Exception {
        List<String> unclassified = new ArrayList<>();
        List<Operation> operations = new ArrayList<>();
        for (String service : SERVICES) {
            operations.addAll(operations(service, unclassified));
        }
        assertTrue(operations.size() >= 40, "the documents list the services' operations: " + operations.size());

        List<Caller> callers = new ArrayList<>();
        callers.add(new Caller("none", null));
        for (String role : USER_ROLES) {
            callers.add(new Caller(role, SUBJECTS.get(role)[0]));
        }
        for (String peer : PEERS) {
            callers.add(new Caller("service:" + peer, peer));
        }

        // Reads first; what changes state afterwards, deactivation last (the owners still act on their own before).
        operations.sort(Comparator.comparing((Operation o) -> o.path().endsWith("/deactivate"))
                .thenComparing(o -> !o.method().equals("get")));
        List<String> failures = new ArrayList<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        StringBuilder table = new StringBuilder(String.format("%-70s", "operation \\ caller: status on own / on B's"));
        callers.forEach(c -> table.append(String.format(" %-22s", c.role())));
        int requests = 0;
        Instant started = Instant.now();
        for (Operation op : operations) {
            table.append(String.format("%n%-70s", op.name() + " [" + op.access() + (op.roles().isEmpty() ? "" : " " + op.roles()) + "]"));
            for (Caller caller : callers) {
                table.append(' ').append(allowed(op, caller) ? '+' : '-');
                StringBuilder cell = new StringBuilder();
                for (boolean own : new boolean[] { true, false }) {
                    Response r = send(op, caller, own);
                    cell.append(own ? "" : "/").append(r.statusCode());
                    requests++;
                    String verdict = judge(op, caller, own, r);
                    outcomes.merge(allowed(op, caller) ? "allowed" : "refused", 1, Integer::sum);
                    if (verdict != null) {
                        failures.add(op.name() + " as " + caller.role() + (own ? " on its own" : " on B's") + ": "
                                + verdict + " (got " + r.statusCode() + " " + r.contentType() + " " + abbreviate(r.asString()) + ")");
                        cell.append('!');
                    }
                }
                table.append(String.format("%-21s", cell));
            }
        }
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "access-matrix.txt"), table.append('\n')
                .append("+ allowed by the document, - not allowed; ! breaks a rule\n").toString());
        unclassified.forEach(u -> System.out.println("UNCLASSIFIED " + u));
        failures.forEach(f -> System.out.println("BROKEN " + f));
        System.out.printf("Access matrix: %d operations x %d callers x 2 (own, B's) = %d requests in %d ms %s%n",
                operations.size(), callers.size(), requests, Duration.between(started, Instant.now()).toMillis(), outcomes);
        assertEquals(List.of(), unclassified, "operations the access matrix cannot classify: state who may call them "
                + "in the OpenAPI document (com.nova.kit.security.OpenApiAccess) or teach the matrix their path parameters");
        assertEquals(List.of(), failures, "answers that break the access rules");
    }

    // ---- classification, from the documents

    private static List<Operation> operations(String service, List<String> unclassified) throws Exception {
        JsonNode doc = JSON.readTree(given().baseUri(RunningSuite.url(service)).get("/q/openapi?format=json").then()
                .statusCode(200).extract().asString());
        Set<String> bearerSchemes = new LinkedHashSet<>();
        Set<String> otherSchemes = new LinkedHashSet<>();
        doc.path("components").path("securitySchemes").fields().forEachRemaining(e -> {
            JsonNode s = e.getValue();
            if ("http".equals(s.path("type").asText()) && "bearer".equalsIgnoreCase(s.path("scheme").asText())) {
                bearerSchemes.add(e.getKey());
            } else {
                otherSchemes.add(e.getKey());
            }
        });
        List<Operation> found = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> entry = ops.next();
                if (!METHODS.contains(entry.getKey())) {
                    continue;
                }
                String name = entry.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey() + " (" + service + ")";
                List<String> problems = new ArrayList<>();
                JsonNode op = entry.getValue();
                List<JsonNode> parameters = new ArrayList<>();
                path.getValue().path("parameters").forEach(parameters::add);
                op.path("parameters").forEach(parameters::add);
                Access access = null;
                Set<String> roles = new LinkedHashSet<>();
                JsonNode security = op.has("security") ? op.get("security") : doc.get("security");
                if (security == null || !security.isArray() || security.isEmpty()) {
                    problems.add("no security requirement: the document does not say who may call it");
                } else {
                    Set<Access> kinds = new LinkedHashSet<>();
                    for (JsonNode requirement : security) {
                        if (requirement.isEmpty()) {
                            kinds.add(Access.PUBLIC);
                            continue;
                        }
                        for (Iterator<Map.Entry<String, JsonNode>> it = requirement.fields(); it.hasNext();) {
                            Map.Entry<String, JsonNode> scheme = it.next();
                            if (bearerSchemes.contains(scheme.getKey())) {
                                if (scheme.getValue().isEmpty()) {
                                    kinds.add(Access.AUTHENTICATED);
                                } else {
                                    kinds.add(Access.ROLES);
                                    scheme.getValue().forEach(role -> roles.add(role.asText()));
                                }
                            } else if (otherSchemes.contains(scheme.getKey()) && scheme.getValue().isEmpty()) {
                                kinds.add(Access.SIGNATURE);
                            } else if (otherSchemes.contains(scheme.getKey())) {
                                problems.add("roles " + scheme.getValue() + " on " + scheme.getKey()
                                        + ", which is no bearer-token scheme (roles come from tokens)");
                            } else {
                                problems.add("unknown security scheme " + scheme.getKey());
                            }
                        }
                    }
                    if (kinds.size() == 1) {
                        access = kinds.iterator().next();
                    } else if (problems.isEmpty()) {
                        problems.add("mixes access kinds " + kinds);
                    }
                }
                for (String role : roles) {
                    if (!USER_ROLES.contains(role) && !(role.startsWith("service:") && PEERS.contains(role.substring(8)))) {
                        problems.add("allows role " + role + ", which no caller of the matrix holds");
                    }
                }
                Map<String, Kind> kinds = new LinkedHashMap<>();
                for (JsonNode p : parameters) {
                    if (!"path".equals(p.path("in").asText())) {
                        continue;
                    }
                    String param = p.path("name").asText();
                    Kind kind = PARAMETERS.stream()
                            .filter(rule -> rule.service().equals(service) && rule.name().equals(param)
                                    && rule.path().matcher(path.getKey()).matches())
                            .map(ParameterRule::kind).findFirst().orElse(null);
                    if (kind == null) {
                        problems.add("path parameter {" + param + "} names no resource the matrix knows (PARAMETERS)");
                    } else {
                        kinds.put(param, kind);
                        for (String role : roles) {
                            if (!role.equals("admin") && !role.startsWith("service:") && !kind.owners.contains(role)) {
                                problems.add("allows " + role + " on {" + param + "}, a " + kind + " no " + role + " owns");
                            }
                        }
                    }
                }
                if (problems.isEmpty()) {
                    found.add(new Operation(service, entry.getKey(), path.getKey(), access, roles, kinds, parameters,
                            op.has("requestBody")));
                } else {
                    problems.forEach(problem -> unclassified.add(name + ": " + problem));
                }
            }
        }
        return found;
    }

    private static boolean allowed(Operation op, Caller caller) {
        return switch (op.access()) {
            case PUBLIC -> !caller.peer();
            case AUTHENTICATED -> !caller.peer() && !caller.role().equals("none");
            case ROLES -> op.roles().contains(caller.role());
            case SIGNATURE -> false;
        };
    }

    /** Null when the answer keeps the rules, else what it broke. */
    private static String judge(Operation op, Caller caller, boolean own, Response r) {
        int status = r.statusCode();
        String type = r.contentType() == null ? "" : r.contentType();
        if (status >= 500 && status != 503) {
            return "a server error";
        }
        if (!caller.privileged() && leaksB(r.asString())) {
            return "the answer carries principal B's ids or data";
        }
        List<String> policies = r.headers().getValues("Content-Security-Policy");
        if (policies.size() != 1 || !policies.get(0).contains("frame-ancestors 'none'")
                || !"nosniff".equals(r.header("X-Content-Type-Options"))) {
            return "every answer carries one Content-Security-Policy (frame-ancestors 'none') and nosniff (kit SecurityHeaders)";
        }
        if (!allowed(op, caller)) {
            int wanted = caller.role().equals("none") || op.access() == Access.SIGNATURE && !caller.peer() ? 401 : 403;
            if (status != wanted) {
                return "a caller the operation does not allow must get " + wanted;
            }
            return type.startsWith("application/problem+json") ? null : "a refusal must be problem+json";
        }
        boolean owned = op.pathKinds().values().stream().anyMatch(k -> k.owners.contains(caller.role()));
        if (!own && owned && !caller.privileged()) {
            if (status != 403 && status != 404) {
                return "another principal's resource must be 403/404 for " + caller.role();
            }
            return type.startsWith("application/problem+json") ? null : "a refusal must be problem+json";
        }
        if (status == 401 || status == 403) {
            return "an allowed caller is refused";
        }
        if (owned && !caller.privileged() && status == 404) {
            return "the owner is told its own resource does not exist";
        }
        return null;
    }

    /** Principal B's ids and data anywhere in the answer but the problem's {@code instance} (the request path). */
    private static boolean leaksB(String body) {
        String scrubbed = body.replaceAll("\"instance\"\\s*:\\s*\"[^\"]*\"", "");
        return B_MARKERS.stream().anyMatch(scrubbed::contains);
    }

    // ---- requests

    private static Response send(Operation op, Caller caller, boolean own) {
        RequestSpecification spec = given().baseUri(RunningSuite.url(op.service())).redirects().follow(false);
        if (!caller.role().equals("none")) {
            String token = TOKENS.computeIfAbsent(caller.role(), role -> caller.peer() ? TestTokens.token(caller.subject(), "service")
                    : TestTokens.token(caller.subject(), role));
            spec = spec.header("Authorization", "Bearer " + token);
        }
        String path = op.path();
        for (Map.Entry<String, Kind> p : op.pathKinds().entrySet()) {
            path = path.replace("{" + p.getKey() + "}", RESOURCES.get(p.getValue())[own ? 0 : 1]);
        }
        for (JsonNode p : op.parameters()) {
            String name = p.path("name").asText();
            switch (p.path("in").asText()) {
                case "header" -> {
                    if (name.equalsIgnoreCase("Idempotency-Key")) {
                        spec = spec.header(name, "matrix-" + UUID.randomUUID());
                    }
                }
                case "query" -> {
                    String value = queryValue(name, p);
                    if (value != null) {
                        spec = spec.queryParam(name, value);
                    }
                }
                default -> {
                }
            }
        }
        if (op.hasBody()) {
            Supplier<Object> body = BODIES.get(op.method().toUpperCase(Locale.ROOT) + " " + op.path());
            spec = spec.contentType(ContentType.JSON).body(body == null ? Map.of() : body.get());
        }
        return spec.request(op.method().toUpperCase(Locale.ROOT), path);
    }

    /** Required query parameters get a valid value (a documented default, or one by name); others are left out. */
    private static String queryValue(String name, JsonNode p) {
        if (!p.path("required").asBoolean(false)) {
            return null;
        }
        if (p.path("schema").has("default")) {
            return p.path("schema").path("default").asText();
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return switch (name) {
            case "from" -> today.minusDays(1).toString();
            case "to" -> today.plusDays(1).toString();
            case "at" -> today.toString();
            default -> null;
        };
    }

    /** Valid bodies where one is easy to give, so allowed callers get past validation; any other operation gets {}. */
    private static final Map<String, Supplier<Object>> BODIES = Map.ofEntries(
            entry("POST /v1/wallets/me/redemptions", () -> Map.of("merchantId", "matrix-merchant", "amount", 1)),
            entry("POST /v1/wallets/me/holds", () -> Map.of("merchantId", "matrix-merchant", "amount", 1)),
            entry("POST /v1/wallets/me/holds/{holdId}/capture", () -> Map.of("amount", 1)),
            entry("POST /v1/wallets/{driverId}/holds/{holdId}/capture", () -> Map.of("amount", 1)),
            entry("POST /v1/wallets/{driverId}/adjustments", () -> Map.of("direction", "CREDIT", "amount", 1, "reason", "access matrix")),
            entry("PUT /v1/wallets/merchants/{merchantId}/earn-rate", () -> Map.of("pointsPerUnit", 1)),
            entry("PUT /v1/wallets/merchants/{merchantId}/earn-rates/{currency}", () -> Map.of("pointsPerUnit", 1)),
            entry("PUT /v1/wallets/earn-rates/{currency}", () -> Map.of("pointsPerUnit", 1)),
            entry("POST /v1/wallets/parked-purchases/{id}/attribute", () -> Map.of("driverId", SUBJECTS.get("driver")[0])),
            entry("POST /v1/leads", () -> lead("mortgage", "Matrix")),
            entry("POST /v1/buyers", () -> buyer("matrix-extra-" + UUID.randomUUID(), "mortgage")),
            entry("PATCH /v1/buyers/{id}", () -> Map.of("priority", 7)),
            entry("PUT /v1/buyers/{id}/credentials", () -> Map.of("authConfig",
                    Map.of("type", "bearer", "token", "matrix-token-" + UUID.randomUUID().toString().replace("-", "")))));

    private static Map.Entry<String, Supplier<Object>> entry(String operation, Supplier<Object> body) {
        return Map.entry(operation, body);
    }

    // ---- fixtures

    private static Map<String, Object> buyer(String tag, String vertical) {
        return Map.of("name", "Matrix Buyer " + tag, "verticals", List.of(vertical), "states", List.of("CA"),
                "bidAmount", "12.34", "deliveryUrl", RunningSuite.url("stand-ins") + "/buyer/matrix/leads",
                "authConfig", Map.of("type", "bearer", "token", "matrix-buyer-token-" + UUID.randomUUID().toString().replace("-", "")));
    }

    private static String createBuyer(String tag, String vertical) {
        return given().baseUri(RunningSuite.url("buyer-registry")).header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(buyer(tag + " " + RUN, vertical)).post("/v1/buyers").then().statusCode(201).extract().path("id");
    }

    private static Map<String, Object> lead(String vertical, String firstName) {
        long n = ThreadLocalRandom.current().nextLong(1_000_000_000L);
        Map<String, Object> lead = new HashMap<>();
        lead.put("vertical", vertical);
        lead.put("firstName", firstName + RUN_LETTERS);
        lead.put("lastName", "Matrix");
        lead.put("email", "matrix." + RUN + "." + n + "@example.com");
        lead.put("phone", String.format("(415) 555-%04d", n % 10_000));
        lead.put("zip", "94105");
        lead.put("state", "CA");
        lead.put("trustedFormCertUrl", "https://cert.trustedform.com/" + UUID.randomUUID().toString().replace("-", ""));
        lead.put("consent", true);
        return lead;
    }

    /** A lead of {@code publisher}'s, sold to {@code buyer} (buyer-registry's changes reach auction-service's cache by event). */
    private static String soldLead(String publisher, String vertical, String buyer, String firstName) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            Response r = given().baseUri(RunningSuite.url("auction-service"))
                    .header("Authorization", TestTokens.bearer(publisher, "publisher"))
                    .header("Idempotency-Key", "matrix-" + UUID.randomUUID()).contentType(ContentType.JSON)
                    .body(lead(vertical, firstName)).post("/v1/leads");
            if (r.statusCode() == 201 && "SOLD".equals(r.path("status")) && buyer.equals(r.path("buyerId"))) {
                return r.path("id");
            }
            last = r.statusCode() + " " + abbreviate(r.asString());
            Thread.sleep(300);
        }
        throw new IllegalStateException("no " + vertical + " lead was sold to buyer " + buyer + " within 30 s; last answer: " + last);
    }

    private static String abbreviate(String s) {
        Matcher m = Pattern.compile("\\s+").matcher(s);
        String one = m.replaceAll(" ");
        return one.length() > 200 ? one.substring(0, 200) + "..." : one;
    }
}
