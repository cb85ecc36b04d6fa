import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Writes N distinct signed Stripe payment deliveries, one per line ({@code signature TAB body}),
 * for wrk to replay: java StripeDeliveries.java N SECRET OUT
 */
public final class StripeDeliveries {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(args[1].getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        long t = Instant.now().getEpochSecond();
        try (BufferedWriter out = Files.newBufferedWriter(Path.of(args[2]))) {
            for (int i = 0; i < n; i++) {
                String body = "{\"id\":\"evt_bench_" + t + "_" + i + "\",\"object\":\"event\",\"type\":\"payment_intent.succeeded\",\"created\":" + t
                        + ",\"livemode\":false,\"data\":{\"object\":{\"id\":\"pi_bench_" + t + "_" + i
                        + "\",\"object\":\"payment_intent\",\"amount\":2599,\"amount_received\":2599,\"currency\":\"usd\",\"status\":\"succeeded\","
                        + "\"metadata\":{\"driver_id\":\"driver-" + (i % 5000) + "\",\"merchant_id\":\"merchant-" + (i % 50) + "\"}}}}";
                String sig = HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
                out.write("t=" + t + ",v1=" + sig + "\t" + body + "\n");
            }
        }
    }
}
