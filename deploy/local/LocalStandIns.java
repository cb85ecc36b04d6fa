import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * LOCAL STAND-INS, NOT THE REAL PROVIDERS. A single-file JDK program (java LocalStandIns.java PORT)
 * that deploy/local/up.sh starts when no real TrustedForm or Radar URL is set, so a newcomer can
 * submit a lead and watch it checked, sold and delivered without accounts at either provider.
 *
 * <ul>
 * <li>{@code POST /trustedform/{certId}}: the TrustedForm v4 "retain + match_lead" answer. Requires
 * HTTP Basic with user {@code API} and any non-empty key, {@code api-version: 4.0} and a
 * {@code match_lead}. Certificate ids starting with {@code expired} answer 404, {@code nomatch}
 * answer outcome failure; every other id succeeds and matches.</li>
 * <li>{@code GET /radar/v1/geocode/forward?query=ZIP&layers=postalCode&country=US}: Radar's
 * forward-geocoding shape, the state derived from the ZIP's first three digits (USPS prefix
 * ranges; ZIPs starting 000 or 999 are unknown). Requires an {@code Authorization} header.</li>
 * <li>{@code POST /buyer/{name}/leads}: a demo buyer endpoint that logs each delivered lead and
 * answers 200.</li>
 * <li>{@code POST /bidder/{name}}: a demo live bidder (ping/post): answers a ping after 20 to 200 ms
 * (uniformly) with {@code {"bid":"<5.00 to 59.99>"}}, the bid drawn per ping.</li>
 * </ul>
 * It logs every call on standard output, prefixed with the stand-in's name. A second argument makes
 * TrustedForm and Radar answer after that many milliseconds (the benchmark uses 20), and a third,
 * {@code quiet}, stops the per-call log.
 */
public class LocalStandIns {

    private static final Pattern STRING_FIELD = Pattern.compile("\"(email|phone|reference|vendor|leadId|price)\"\\s*:\\s*\"([^\"]*)\"");

    /** First three ZIP digits, inclusive ranges, to the state USPS assigns them. */
    private static final Object[][] ZIP3 = {
            { 5, 5, "NY" }, { 10, 27, "MA" }, { 28, 29, "RI" }, { 30, 38, "NH" }, { 39, 49, "ME" }, { 50, 54, "VT" },
            { 55, 55, "MA" }, { 56, 59, "VT" }, { 60, 69, "CT" }, { 70, 89, "NJ" }, { 100, 149, "NY" }, { 150, 196, "PA" },
            { 197, 199, "DE" }, { 200, 205, "DC" }, { 206, 219, "MD" }, { 220, 246, "VA" }, { 247, 268, "WV" },
            { 270, 289, "NC" }, { 290, 299, "SC" }, { 300, 319, "GA" }, { 320, 349, "FL" }, { 350, 369, "AL" },
            { 370, 385, "TN" }, { 386, 397, "MS" }, { 398, 399, "GA" }, { 400, 427, "KY" }, { 430, 459, "OH" },
            { 460, 479, "IN" }, { 480, 499, "MI" }, { 500, 528, "IA" }, { 530, 549, "WI" }, { 550, 567, "MN" },
            { 569, 569, "DC" }, { 570, 577, "SD" }, { 580, 588, "ND" }, { 590, 599, "MT" }, { 600, 629, "IL" },
            { 630, 658, "MO" }, { 660, 679, "KS" }, { 680, 693, "NE" }, { 700, 715, "LA" }, { 716, 729, "AR" },
            { 733, 733, "TX" }, { 730, 749, "OK" }, { 750, 799, "TX" }, { 800, 816, "CO" }, { 820, 831, "WY" }, { 832, 838, "ID" },
            { 840, 847, "UT" }, { 850, 865, "AZ" }, { 870, 884, "NM" }, { 885, 885, "TX" }, { 889, 898, "NV" },
            { 900, 961, "CA" }, { 967, 968, "HI" }, { 970, 979, "OR" }, { 980, 994, "WA" }, { 995, 998, "AK" } };

    private static long delayMs;
    private static boolean quiet;

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8090;
        delayMs = args.length > 1 ? Long.parseLong(args[1]) : 0;
        quiet = args.length > 2 && "quiet".equals(args[2]);
        // The JDK server writes a response's headers and body apart; with Nagle's algorithm on and the
        // client's delayed ACK, every keep-alive answer waited ~40 ms more than the latency it stands in
        // for (JDK-6968351). Read when the first server is made, so set before it.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        // Threads sleep through the simulated latency: enough of them that the delay is latency, not a queue.
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/trustedform/", LocalStandIns::trustedForm);
        server.createContext("/radar/v1/geocode/forward", LocalStandIns::radar);
        server.createContext("/buyer/", LocalStandIns::buyer);
        server.createContext("/bidder/", LocalStandIns::bidder);
        server.createContext("/", ex -> respond(ex, 404, "{\"message\":\"not a stand-in path\"}"));
        server.start();
        System.out.println("LOCAL STAND-INS (not the real TrustedForm or Radar) listening on http://127.0.0.1:" + port);
    }

    private static void trustedForm(HttpExchange ex) throws IOException {
        pause();
        String certId = ex.getRequestURI().getPath().substring("/trustedform/".length());
        String body = read(ex.getRequestBody());
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        boolean authorized = auth != null && auth.startsWith("Basic ")
                && new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8).matches("API:.+");
        int status;
        String answer;
        if (!"POST".equals(ex.getRequestMethod())) {
            status = 405;
            answer = "{\"message\":\"Method not allowed\"}";
        } else if (!authorized) {
            status = 401;
            answer = "{\"message\":\"Incorrect API key\"}";
        } else if (!"4.0".equals(ex.getRequestHeaders().getFirst("api-version"))) {
            status = 400;
            answer = "{\"message\":\"api-version 4.0 is required\"}";
        } else if (!body.contains("\"match_lead\"")) {
            status = 400;
            answer = "{\"message\":\"match_lead is required when running retain\"}";
        } else if (certId.startsWith("expired")) {
            status = 404;
            answer = "{\"message\":\"TrustedForm certificate has expired or could not be found\"}";
        } else {
            Map<String, String> f = fields(body);
            boolean match = !certId.startsWith("nomatch");
            status = 200;
            answer = "{\"outcome\":\"" + (match ? "success" : "failure") + "\","
                    + (match ? "" : "\"reason\":\"Lead data did not match the certificate\",")
                    + "\"match_lead\":{\"email\":\"" + f.getOrDefault("email", "") + "\",\"phone\":\"" + f.getOrDefault("phone", "")
                    + "\",\"result\":{\"success\":" + match + ",\"email_match\":" + match + ",\"phone_match\":" + match + "}},"
                    + "\"retain\":{\"reference\":\"" + f.getOrDefault("reference", "") + "\",\"vendor\":\"" + f.getOrDefault("vendor", "")
                    + "\",\"results\":{\"expires_at\":\"" + Instant.now().plusSeconds(5L * 365 * 86400) + "\",\"previously_retained\":false}}}";
        }
        log("trustedform", "POST " + certId + " -> " + status);
        respond(ex, status, answer);
    }

    private static void radar(HttpExchange ex) throws IOException {
        pause();
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        String zip = q.getOrDefault("query", "");
        int status;
        String answer;
        if (ex.getRequestHeaders().getFirst("Authorization") == null) {
            status = 401;
            answer = "{\"meta\":{\"code\":401,\"message\":\"Unauthorized.\"}}";
        } else if (!"postalCode".equals(q.get("layers")) || !"US".equals(q.get("country"))) {
            status = 400;
            answer = "{\"meta\":{\"code\":400,\"message\":\"Bad request.\"}}";
        } else {
            String state = zip.matches("[0-9]{5}") ? state(Integer.parseInt(zip.substring(0, 3))) : null;
            status = 200;
            answer = "{\"meta\":{\"code\":200},\"addresses\":[" + (state == null ? ""
                    : "{\"country\":\"United States\",\"countryCode\":\"US\",\"stateCode\":\"" + state + "\",\"postalCode\":\"" + zip
                            + "\",\"layer\":\"postalCode\",\"formattedAddress\":\"" + zip + " " + state + ", USA\"}")
                    + "]}";
        }
        log("radar", "GET " + zip + " -> " + status);
        respond(ex, status, answer);
    }

    private static void buyer(HttpExchange ex) throws IOException {
        String name = ex.getRequestURI().getPath().split("/")[2];
        Map<String, String> f = fields(read(ex.getRequestBody()));
        log("buyer " + name, "received lead " + f.getOrDefault("leadId", "?") + " at " + f.getOrDefault("price", "?")
                + " USD (Idempotency-Key " + ex.getRequestHeaders().getFirst("Idempotency-Key") + ")");
        respond(ex, 200, "{\"accepted\":true}");
    }

    private static void bidder(HttpExchange ex) throws IOException {
        read(ex.getRequestBody());
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        try {
            Thread.sleep(random.nextInt(20, 201));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int cents = random.nextInt(500, 6000);
        log("bidder " + ex.getRequestURI().getPath().split("/")[2], "bid " + cents / 100 + "." + String.format("%02d", cents % 100));
        respond(ex, 200, "{\"bid\":\"" + cents / 100 + "." + String.format("%02d", cents % 100) + "\"}");
    }

    private static String state(int zip3) {
        for (Object[] range : ZIP3) {
            if (zip3 >= (int) range[0] && zip3 <= (int) range[1]) {
                return (String) range[2];
            }
        }
        return null;
    }

    private static Map<String, String> fields(String json) {
        Map<String, String> f = new HashMap<>();
        Matcher m = STRING_FIELD.matcher(json);
        while (m.find()) {
            f.putIfAbsent(m.group(1), m.group(2));
        }
        return f;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                int i = kv.indexOf('=');
                if (i > 0) {
                    q.put(URLDecoder.decode(kv.substring(0, i), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void pause() {
        if (delayMs > 0) {
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void log(String who, String what) {
        if (quiet) {
            return;
        }
        System.out.println(Instant.now() + " [stand-in " + who + "] " + what);
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }
}
