import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.nova.kit.testing.DevIdentity;

/**
 * Inputs of deploy/bench/wallet.sh (compiled together with DevIdentity):
 *   tokens KEYDIR N OUT       N driver tokens, one per line (drivers bench-1 .. bench-N)
 *   grants N DRIVERS OUT      redis-cli commands appending N purchase.completed events to wallet.events
 */
public final class WalletBench {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "tokens" -> {
                Path keys = Path.of(args[1]);
                int n = Integer.parseInt(args[2]);
                try (BufferedWriter out = Files.newBufferedWriter(Path.of(args[3]))) {
                    for (int i = 1; i <= n; i++) {
                        out.write(DevIdentity.token(keys, DevIdentity.DEFAULT_ISSUER, "bench-" + i, List.of("driver"), 7200));
                        out.write('\n');
                    }
                }
            }
            case "grants" -> {
                int n = Integer.parseInt(args[1]);
                int drivers = Integer.parseInt(args[2]);
                String now = Instant.now().toString();
                try (BufferedWriter out = Files.newBufferedWriter(Path.of(args[3]))) {
                    for (int i = 0; i < n; i++) {
                        String id = UUID.randomUUID().toString();
                        String pay = "pi_grant_" + i + "_" + id.substring(0, 8);
                        String envelope = "{\"version\":1,\"id\":\"" + id + "\",\"type\":\"purchase.completed\",\"source\":\"stripe\","
                                + "\"sourceEventId\":\"" + pay + "\",\"occurredAt\":\"" + now + "\",\"receivedAt\":\"" + now
                                + "\",\"subject\":\"grant-" + (1 + i % drivers) + "\",\"data\":{\"merchantId\":\"m-" + (i % 50)
                                + "\",\"amountMinor\":2599,\"currency\":\"USD\",\"paymentId\":\"" + pay + "\"}}";
                        out.write("XADD wallet.events * id " + id + " type purchase.completed envelope \""
                                + envelope.replace("\"", "\\\"") + "\"\n");
                    }
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
