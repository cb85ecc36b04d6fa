package com.nova.suite;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.nova.kit.testing.RunningSuite;
import com.nova.kit.testing.TestTokens;

import io.restassured.path.json.JsonPath;

/**
 * deploy/local/charging-session.sh, the README's charging-session sequence, against the packaged
 * wallet-service: the hold, the capture and its retry, and the wallet after them.
 */
@ExtendWith(RunningSuite.class)
class ChargingSessionScriptTest {

    @Test
    void theScriptPlaysASessionAndSpendsWhatItCostOnce() throws Exception {
        String driver = "charging-" + UUID.randomUUID().toString().substring(0, 8);
        String merchant = "charger-" + UUID.randomUUID().toString().substring(0, 8);
        Path root = Path.of("..").toAbsolutePath().normalize();
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("deploy/local/charging-session.sh").toString(), "300", "137")
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("WALLET_URL", RunningSuite.url("wallet-service"));
        env.put("CHARGING_DRIVER", driver);
        env.put("CHARGING_MERCHANT", merchant);
        env.put("DRIVER_TOKEN", TestTokens.token(driver, "driver"));
        env.put("MERCHANT_TOKEN", TestTokens.token(merchant, "merchant"));
        env.put("ADMIN_TOKEN", TestTokens.token("charging-admin", "admin"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "charging-session.sh did not finish");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("held 300, captured 137, released 163"), out);
        JsonPath wallet = given().baseUri(RunningSuite.url("wallet-service")).header("Authorization", TestTokens.bearer(driver, "driver"))
                .get("/v1/wallets/me").then().statusCode(200).extract().jsonPath();
        assertEquals(163, wallet.getLong("balance"));
        assertEquals(0, wallet.getLong("held"));
        assertEquals(137, wallet.getLong("lifetimeRedeemed"));
    }
}
