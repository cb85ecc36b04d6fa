package com.nova.suite;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.nova.kit.testing.RunningSuite;

/**
 * The user-token signing key rotates by kid while requests flow to all four services, with
 * deploy/ops/rotate-jwt-key.sh on the identity provider's keys (whose JWKS the services fetch over
 * HTTP, as from a real provider): the new key is published, a probe signed with it makes every
 * verifier fetch the JWKS again and passes once none answers 401, then tokens are signed with the
 * new kid and accepted everywhere while tokens issued under the old kid keep working; not one
 * request of the traffic is refused. Once the old key is retired from the JWKS, tokens under it
 * stop verifying (within the verifiers' one-minute refresh) while the new tokens keep flowing.
 */
@Order(ProvingGround.ORDER)
class JwtKeyRotationTest {

    @RegisterExtension
    static final RunningSuite SUITE = ProvingGround.suite();

    private static final String SCRIPT = "deploy/ops/rotate-jwt-key.sh";

    /** An endpoint of each service that a user token of {@code role} may read. */
    private record Endpoint(String service, String path, String role) {
        String url() {
            return RunningSuite.url(service) + path;
        }
    }

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("wallet-service", "/v1/wallets/me", "driver"),
            new Endpoint("webhook-gateway", "/webhooks/audit?limit=1", "admin"),
            new Endpoint("auction-service", "/admin/audit/entries?limit=1", "admin"),
            new Endpoint("buyer-registry", "/v1/buyers/audit?limit=1", "admin"));

    /** Waits for {@code condition}; on time-out, fails with what the traffic saw. */
    static void awaitOrExplain(Traffic traffic, java.util.concurrent.Callable<Boolean> condition) {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(condition);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the traffic saw: " + summary(traffic.outcomes()), e);
        }
    }

    /** Outcomes counted by label, kid and status. */
    static Map<String, Long> summary(List<Traffic.Outcome> outcomes) {
        return outcomes.stream().collect(java.util.stream.Collectors.groupingBy(
                o -> o.label() + " kid=" + o.kid() + " -> " + o.status() + (o.status() < 0 ? " " + o.detail() : ""),
                java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }

    @Test
    void theSigningKeyRotatesByKidWhileRequestsFlowAndNoRequestIsRefused() throws Exception {
        String dir = ProvingGround.IDP.dir().toString();
        String oldKid = ProvingGround.IDP.kid();
        // Tokens issued before the rotation, still in clients' hands for their lifetime.
        List<String> issued = new ArrayList<>();
        for (int i = 0; i < ENDPOINTS.size() * 5; i++) {
            Endpoint e = ENDPOINTS.get(i % ENDPOINTS.size());
            issued.add(ProvingGround.IDP.bearer("jwt-issued-" + i, e.role()));
        }
        // Each outcome is labelled with its phase: "before" the new key signs, "after" it does.
        AtomicReference<String> phase = new AtomicReference<>("before");
        Traffic traffic = Traffic.start(2, 20, seq -> {
            // Round the endpoints, every other round with tokens issued before the rotation.
            int i = (int) (seq % (ENDPOINTS.size() * 5));
            Endpoint e = ENDPOINTS.get(i % ENDPOINTS.size());
            boolean fresh = (seq / ENDPOINTS.size()) % 2 == 0;
            String token = fresh ? ProvingGround.IDP.bearer("jwt-user-" + (seq % 50), e.role()) : issued.get(i);
            String kid = RecordingProxy.claim(token, 0, java.util.regex.Pattern.compile("\"kid\"\\s*:\\s*\"([^\"]*)\""));
            int status = given().header("Authorization", token).get(e.url()).statusCode();
            return new Traffic.Outcome(seq, System.currentTimeMillis(), e.service() + (fresh ? " fresh" : " issued") + " " + phase.get(),
                    kid, status, e.path());
        });
        Traffic afterRetirement = null;
        try {
            awaitOrExplain(traffic, () -> traffic.count(o -> o.status() == 200) >= 20);

            // 1. Publish: the JWKS lists the new key, nothing signs with it yet.
            String newKid = OpsScripts.run(Map.of(), SCRIPT, "publish", dir).ok().lines().get(0);
            assertTrue(ProvingGround.IDP.jwks().contains("\"kid\":\"" + newKid + "\""));
            assertTrue(ProvingGround.IDP.jwks().contains("\"kid\":\"" + oldKid + "\""));
            assertEquals(oldKid, ProvingGround.IDP.kid());

            // 2. Wait until every verifier has the new key: the probe passes once none answers 401.
            String[] probe = new String[2 + ENDPOINTS.size()];
            probe[0] = "probe";
            probe[1] = dir;
            for (int i = 0; i < ENDPOINTS.size(); i++) {
                probe[2 + i] = ENDPOINTS.get(i).url();
            }
            Awaitility.await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> OpsScripts.run(Map.of(), SCRIPT, probe).exit() == 0);

            // 3. Activate: the provider signs with the new kid; the old public key stays published.
            assertEquals(oldKid, OpsScripts.run(Map.of(), SCRIPT, "activate", dir).ok().lines().get(0));
            assertEquals(newKid, ProvingGround.IDP.kid());
            phase.set("after");
            for (Endpoint e : ENDPOINTS) {
                awaitOrExplain(traffic, () -> traffic.count(o -> o.label().equals(e.service() + " fresh after")
                        && newKid.equals(o.kid()) && o.status() == 200) >= 5
                        && traffic.count(o -> o.label().equals(e.service() + " issued after") && o.status() == 200) >= 5);
            }

            // 4. Retire the old key (its tokens have expired, in the story: no client sends them any more).
            traffic.close();
            List<Traffic.Outcome> rotation = traffic.outcomes();
            afterRetirement = Traffic.start(1, 50, seq -> {
                Endpoint e = ENDPOINTS.get((int) (seq % ENDPOINTS.size()));
                String token = ProvingGround.IDP.bearer("jwt-user-" + (seq % 50), e.role());
                return new Traffic.Outcome(seq, System.currentTimeMillis(), e.service() + " fresh retired", ProvingGround.IDP.kid(),
                        given().header("Authorization", token).get(e.url()).statusCode(), e.path());
            });
            OpsScripts.run(Map.of(), SCRIPT, "retire", dir, oldKid).ok();
            assertFalse(ProvingGround.IDP.jwks().contains("\"kid\":\"" + oldKid + "\""));
            // Every verifier drops the retired key at its next refresh of the JWKS (a minute at most), without a restart.
            for (int i = 0; i < ENDPOINTS.size(); i++) {
                Endpoint e = ENDPOINTS.get(i);
                String old = issued.get(i);
                Awaitility.await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(2))
                        .until(() -> given().header("Authorization", old).get(e.url()).statusCode() == 401);
            }
            Traffic.Outcome last = afterRetirement.outcomes().get(afterRetirement.outcomes().size() - 1);
            afterRetirement.close();

            // Not one request of the traffic was refused: before, during and after the switch, old kid and new.
            List<Traffic.Outcome> all = new ArrayList<>(rotation);
            all.addAll(afterRetirement.outcomes());
            List<Traffic.Outcome> refused = all.stream().filter(o -> o.status() == 401 || o.status() == 403 || o.status() < 0).toList();
            assertTrue(refused.isEmpty(), refused.size() + " of " + all.size() + " refused: " + summary(all));
            for (Endpoint e : ENDPOINTS) {
                assertTrue(rotation.stream().anyMatch(o -> o.label().startsWith(e.service()) && oldKid.equals(o.kid()) && o.status() == 200),
                        "old-kid tokens accepted by " + e.service());
                assertTrue(afterRetirement.outcomes().stream().anyMatch(o -> o.label().startsWith(e.service()) && o.status() == 200),
                        "new-kid tokens accepted by " + e.service() + " after the old key was retired");
            }
            assertTrue(last.status() == 200, last.toString());
        } finally {
            traffic.close();
            if (afterRetirement != null) {
                afterRetirement.close();
            }
        }
    }
}
