import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a realistic sample webhook with the local secrets and sends it to the gateway, the way
 * Stripe's CLI triggers test events. JDK only: deploy/local/send-webhook.sh runs this very file.
 *
 * <pre>
 * stripe   [--type payment_intent.succeeded|charge.succeeded|refund.created] [--driver ID] [--merchant ID]
 *          [--amount MINOR] [--currency CUR] [--payment ID] [--refund ID] [--event ID]
 * square   [--type payment.updated|payment.created|refund.updated] [--status COMPLETED] [--driver ID] ...
 * purchase [--type purchase.completed|purchase.refunded] [--driver ID] [--merchant ID] [--amount MINOR] [--payment ID]
 * buyer    --buyer ID --secret whsec_... [--type lead.accepted|lead.rejected|lead.returned|lead.converted]
 *          [--lead ID] [--reason TEXT]
 * every kind: [--times N] (deliver the same signed event N times) [--url http://localhost:8082]
 * </pre>
 */
public final class SendWebhook {

    public static void main(String[] argv) throws Exception {
        if (argv.length < 1) {
            usage();
        }
        String kind = argv[0];
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i + 1 < argv.length; i += 2) {
            if (!argv[i].startsWith("--")) {
                usage();
            }
            o.put(argv[i].substring(2), argv[i + 1]);
        }
        String base = o.getOrDefault("url", "http://localhost:8082");
        long now = Instant.now().getEpochSecond();
        String driver = o.getOrDefault("driver", "driver-42");
        String merchant = o.getOrDefault("merchant", "merchant-7");
        String amount = o.getOrDefault("amount", "2599");
        String payment = o.get("payment");
        String event = o.getOrDefault("event", UUID.randomUUID().toString());
        HttpRequest.Builder request;
        switch (kind) {
            case "stripe" -> {
                String type = o.getOrDefault("type", "payment_intent.succeeded");
                String pi = payment != null ? payment : "pi_" + hex(12);
                String currency = o.getOrDefault("currency", "usd").toLowerCase();
                String object = switch (type) {
                    case "charge.succeeded" -> """
                            {"id":"ch_%s","object":"charge","amount":%s,"amount_captured":%s,"captured":true,"currency":"%s",
                             "payment_intent":"%s","status":"succeeded",
                             "metadata":{"driver_id":"%s","merchant_id":"%s"}}""".formatted(hex(12), amount, amount, currency, pi,
                            driver, merchant);
                    case "refund.created" -> """
                            {"id":"%s","object":"refund","amount":%s,"currency":"%s","payment_intent":"%s","status":"succeeded"}"""
                            .formatted(o.getOrDefault("refund", "re_" + hex(12)), amount, currency, pi);
                    default -> """
                            {"id":"%s","object":"payment_intent","amount":%s,"amount_received":%s,"currency":"%s","status":"succeeded",
                             "metadata":{"driver_id":"%s","merchant_id":"%s"}}""".formatted(pi, amount, amount, currency, driver, merchant);
                };
                String body = """
                        {"id":"evt_%s","object":"event","api_version":"2024-06-20","created":%d,"livemode":false,"type":"%s",
                         "data":{"object":%s}}""".formatted(event.replace("-", ""), now, type, object);
                String secret = first(env("STRIPE_WEBHOOK_SECRET"));
                String sig = HexFormat.of().formatHex(hmac("HmacSHA256", secret, now + "." + body));
                request = post(base + "/webhooks/stripe", body).header("Stripe-Signature", "t=" + now + ",v1=" + sig);
            }
            case "square" -> {
                String type = o.getOrDefault("type", "payment.updated");
                String id = payment != null ? payment : "sq" + hex(10);
                String status = o.getOrDefault("status", "COMPLETED");
                String object = type.startsWith("refund")
                        ? """
                          {"refund":{"id":"%s","payment_id":"%s","status":"%s","location_id":"L1","amount_money":{"amount":%s,"currency":"USD"}}}"""
                                .formatted(o.getOrDefault("refund", "sqr" + hex(10)), id, status, amount)
                        : """
                          {"payment":{"id":"%s","status":"%s","reference_id":"%s","location_id":"L1","amount_money":{"amount":%s,"currency":"USD"}}}"""
                                .formatted(id, status, driver, amount);
                String body = """
                        {"merchant_id":"%s","type":"%s","event_id":"%s","created_at":"%s","data":{"type":"%s","id":"%s","object":%s}}"""
                        .formatted(merchant, type, event, Instant.ofEpochSecond(now), type.split("\\.")[0], id, object);
                String url = env("SQUARE_WEBHOOK_NOTIFICATION_URL");
                String sig = Base64.getEncoder().encodeToString(hmac("HmacSHA256", first(env("SQUARE_WEBHOOK_SIGNATURE_KEY")), url + body));
                request = post(base + "/webhooks/square", body).header("x-square-hmacsha256-signature", sig);
            }
            case "purchase" -> {
                String type = o.getOrDefault("type", "purchase.completed");
                String body = """
                        {"type":"%s","event_id":"%s","ts":%d,"transaction_id":"%s","driver_id":"%s","merchant_id":"%s","amount_cents":%s,"currency":"USD"%s}"""
                        .formatted(type, event, now, payment != null ? payment : "tx-" + hex(8), driver, merchant, amount,
                                type.equals("purchase.refunded") ? ",\"refund_id\":\"" + o.getOrDefault("refund", "rf-" + hex(8)) + "\"" : "");
                request = post(base + "/webhooks/purchases", body).header("X-Webhook-Secret", first(env("PURCHASE_WEBHOOK_SECRET")));
            }
            case "buyer" -> {
                String buyer = required(o, "buyer");
                String secret = required(o, "secret");
                String type = o.getOrDefault("type", "lead.accepted");
                String reason = o.getOrDefault("reason", type.equals("lead.returned") ? "wrong number" : null);
                String body = "{\"type\":\"" + type + "\",\"leadId\":\"" + o.getOrDefault("lead", UUID.randomUUID().toString()) + "\""
                        + (reason == null ? "" : ",\"reason\":\"" + reason.replace("\"", "'") + "\"") + "}";
                String msg = "msg_" + hex(12);
                byte[] key = Base64.getDecoder().decode(secret.substring(secret.indexOf('_') + 1));
                String sig = Base64.getEncoder().encodeToString(hmac("HmacSHA256", key, msg + "." + now + "." + body));
                request = post(base + "/webhooks/buyers/" + buyer, body).header("webhook-id", msg)
                        .header("webhook-timestamp", Long.toString(now)).header("webhook-signature", "v1," + sig);
            }
            default -> {
                usage();
                return;
            }
        }
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest built = request.build();
        int times = Integer.parseInt(o.getOrDefault("times", "1"));
        for (int i = 0; i < times; i++) {
            HttpResponse<String> response = client.send(built, HttpResponse.BodyHandlers.ofString());
            System.out.println(response.statusCode() + " " + response.body());
        }
    }

    private static HttpRequest.Builder post(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static byte[] hmac(String algorithm, String key, String data) throws Exception {
        return hmac(algorithm, key.getBytes(StandardCharsets.UTF_8), data);
    }

    private static byte[] hmac(String algorithm, byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance(algorithm);
        mac.init(new SecretKeySpec(key, algorithm));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            System.err.println(name + " is not set (deploy/local/send-webhook.sh reads .local/secrets/webhooks.env)");
            System.exit(2);
        }
        return v;
    }

    /** The first of a comma-separated list: the secret currently in use. */
    private static String first(String list) {
        return list.split(",")[0].trim();
    }

    private static String required(Map<String, String> o, String name) {
        String v = o.get(name);
        if (v == null) {
            System.err.println("--" + name + " is required");
            System.exit(2);
        }
        return v;
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        new java.security.SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void usage() {
        System.err.println("usage: send-webhook.sh stripe|square|purchase|buyer [--option value ...] (see deploy/local/SendWebhook.java)");
        System.exit(2);
    }
}
