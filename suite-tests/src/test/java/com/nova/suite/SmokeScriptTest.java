package com.nova.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.nova.kit.testing.RunningSuite;
import com.nova.kit.testing.TestTokens;

/**
 * deploy/ops/smoke.sh, the canary's gate, against the running services: every check passes on a
 * healthy suite, and a service that answers wrongly fails the run.
 */
@ExtendWith(RunningSuite.class)
class SmokeScriptTest {

    private record Run(int status, String output) {
    }

    private static Run smoke(Map<String, String> overrides) throws IOException, InterruptedException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("deploy/ops/smoke.sh").toString(), "http://127.0.0.1:1")
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("SMOKE_KEYS", TestTokens.KEYS.toAbsolutePath().toString());
        env.put("WALLET_URL", RunningSuite.url("wallet-service"));
        env.put("GATEWAY_URL", RunningSuite.url("webhook-gateway"));
        env.put("AUCTION_URL", RunningSuite.url("auction-service"));
        env.put("BUYERS_URL", RunningSuite.url("buyer-registry"));
        env.putAll(overrides);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "smoke.sh did not finish");
        return new Run(p.exitValue(), out);
    }

    @Test
    void everyCheckPassesOnAHealthySuite() throws Exception {
        Run run = smoke(Map.of());
        assertEquals(0, run.status(), run.output());
        assertTrue(run.output().contains("smoke: 13 passed, 0 failed"), run.output());
    }

    @Test
    void aServiceThatAnswersWronglyFailsTheRun() throws Exception {
        // buyer-registry's paths sent to the wallet: its checks get 404s instead of buyers.
        Run run = smoke(Map.of("BUYERS_URL", RunningSuite.url("wallet-service")));
        assertEquals(1, run.status(), run.output());
        assertTrue(run.output().contains("FAIL  buyers: an admin lists buyers"), run.output());
        assertTrue(run.output().contains("smoke: 10 passed, 3 failed"), run.output());
    }
}
