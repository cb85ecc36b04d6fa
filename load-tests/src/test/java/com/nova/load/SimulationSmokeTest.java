package com.nova.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.nova.kit.testing.RunningSuite;
import com.nova.kit.testing.TestTokens;

import io.gatling.app.Gatling$;

/**
 * Every simulation, smoke-sized (a few requests a second for a few seconds), against the packaged
 * services: it proves the simulations build their requests right (signatures, tokens, bodies the
 * services accept) and that their assertions are wired to fail a run, not how fast this machine is
 * (the latency limits are lifted here; the full-size runs keep them).
 */
@ExtendWith(RunningSuite.class)
class SimulationSmokeTest {

    @BeforeAll
    static void pointAtTheRunningSuite() {
        System.setProperty("load.wallet-url", RunningSuite.url("wallet-service"));
        System.setProperty("load.gateway-url", RunningSuite.url("webhook-gateway"));
        System.setProperty("load.auction-url", RunningSuite.url("auction-service"));
        System.setProperty("load.buyers-url", RunningSuite.url("buyer-registry"));
        System.setProperty("load.stand-ins-url", RunningSuite.url("stand-ins"));
        System.setProperty("load.keys", TestTokens.KEYS.toAbsolutePath().toString());
        System.setProperty("load.secret.STRIPE_WEBHOOK_SECRET", RunningSuite.STRIPE_SECRET);
        System.setProperty("load.secret.SQUARE_WEBHOOK_SIGNATURE_KEY", RunningSuite.SQUARE_SIGNATURE_KEY);
        System.setProperty("load.secret.SQUARE_WEBHOOK_NOTIFICATION_URL", RunningSuite.SQUARE_NOTIFICATION_URL);
        System.setProperty("load.secret.PURCHASE_WEBHOOK_SECRET", RunningSuite.PURCHASE_SECRET);
        System.setProperty("load.rate", "4");
        System.setProperty("load.duration", "3s");
        System.setProperty("load.ramp", "0s");
        System.setProperty("load.drivers", "20");
        System.setProperty("load.buyers", "20");
        System.setProperty("load.outcome-leads", "5");
        System.setProperty("load.p95-ms", "60000");
        System.setProperty("load.p99-ms", "60000");
    }

    @ParameterizedTest
    @ValueSource(strings = { "PaymentWebhooksSimulation", "WalletSimulation", "LeadSubmissionSimulation",
            "BuyerOutcomesSimulation", "DayInProductionSimulation" })
    void runsCleanAtSmokeSize(String simulation) {
        Path results = Path.of("target", "gatling-smoke");
        int status = Gatling$.MODULE$.fromArgs(new String[] { "--simulation", "com.nova.load." + simulation,
                "--results-folder", results.toString(), "--launcher", "maven", "--build-tool-version", "3.9" });
        // Gatling answers 0 only when every assertion held, one of them that requests were sent at all.
        assertEquals(0, status, simulation + " failed its assertions (every request must succeed); see " + results);
    }

}
