package com.nova.fault;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the suite's own records say after the drill, read from its databases (behind the services'
 * backs, read-only), its streams and two admin endpoints, held against what the senders were told:
 * every acknowledged request had its effect exactly once, and nothing else happened.
 */
final class Checks {

    /** One acknowledged request's verdict. */
    record Verdict(boolean lost, boolean doubled, String why) {
        static final Verdict OK = new Verdict(false, false, null);
    }

    /** A check of the whole suite (not of one request). */
    record Check(String name, boolean passed, String detail) {
    }

    private final Cluster cluster;
    private final Load load;
    private final BuyerStub stub;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    // What the databases hold, read by snapshot().
    private Map<String, long[]> grants = new HashMap<>();           // payment id -> {transactions, points}
    private Map<String, List<String>> redemptions = new HashMap<>(); // key -> statuses
    private Map<String, Long> balances = new HashMap<>();
    private long negativeWallets;
    private Map<String, String[]> leads = new HashMap<>();          // lead id -> {status, buyer, price, key}
    private Map<String, Integer> leadsPerKey = new HashMap<>();
    private Map<String, int[]> revenue = new HashMap<>();           // lead id -> {sales, returns}
    private Map<String, String> deliveries = new HashMap<>();       // lead id -> status
    private Map<String, Long> outboxes = new LinkedHashMap<>();
    private Map<String, Long> pending = new LinkedHashMap<>();      // stream/group -> pending
    private Map<String, Long> lag = new LinkedHashMap<>();          // stream/group -> lag (shared groups)
    private Map<String, List<String>> deadLetters = new LinkedHashMap<>();

    Checks(Cluster cluster, Load load, BuyerStub stub) {
        this.cluster = cluster;
        this.load = load;
        this.stub = stub;
    }

    /** Reads everything once. */
    void snapshot() throws Exception {
        try (Connection c = cluster.postgres.connect("wallet"); Statement s = c.createStatement()) {
            Map<String, long[]> g = new HashMap<>();
            try (ResultSet rs = s.executeQuery("select reference, count(*), sum(points) from ledger_transaction "
                    + "where kind = 'GRANT' and status = 'COMMITTED' group by reference")) {
                while (rs.next()) {
                    g.put(rs.getString(1), new long[] { rs.getLong(2), rs.getLong(3) });
                }
            }
            grants = g;
            Map<String, List<String>> r = new HashMap<>();
            try (ResultSet rs = s.executeQuery("select idempotency_key, status from ledger_transaction where kind = 'REDEEM'")) {
                while (rs.next()) {
                    r.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
            redemptions = r;
            Map<String, Long> b = new HashMap<>();
            try (ResultSet rs = s.executeQuery("select driver_id, nova_balance from driver_wallets")) {
                while (rs.next()) {
                    b.put(rs.getString(1), rs.getLong(2));
                }
            }
            balances = b;
            try (ResultSet rs = s.executeQuery("select count(*) from driver_wallets where nova_balance < 0")) {
                rs.next();
                negativeWallets = rs.getLong(1);
            }
        }
        try (Connection c = cluster.postgres.connect("auction"); Statement s = c.createStatement()) {
            Map<String, String[]> l = new HashMap<>();
            Map<String, Integer> perKey = new HashMap<>();
            try (ResultSet rs = s.executeQuery("select id, status, buyer_id, price, idempotency_key from lead")) {
                while (rs.next()) {
                    l.put(rs.getString(1), new String[] { rs.getString(2), rs.getString(3),
                            rs.getBigDecimal(4) == null ? null : rs.getBigDecimal(4).toPlainString(), rs.getString(5) });
                    perKey.merge(rs.getString(5), 1, Integer::sum);
                }
            }
            leads = l;
            leadsPerKey = perKey;
            Map<String, int[]> rev = new HashMap<>();
            try (ResultSet rs = s.executeQuery("select lead_id, kind, count(*) from revenue_entry group by lead_id, kind")) {
                while (rs.next()) {
                    rev.computeIfAbsent(rs.getString(1), k -> new int[2])["SALE".equals(rs.getString(2)) ? 0 : 1] += rs.getInt(3);
                }
            }
            revenue = rev;
            Map<String, String> d = new HashMap<>();
            try (ResultSet rs = s.executeQuery("select lead_id, status from delivery")) {
                while (rs.next()) {
                    d.put(rs.getString(1), rs.getString(2));
                }
            }
            deliveries = d;
        }
        Map<String, Long> o = new LinkedHashMap<>();
        for (String service : Cluster.SERVICES) {
            String db = Cluster.DATABASES.get(service);
            try (Connection c = cluster.postgres.connect(db); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select count(*) from outbox")) {
                rs.next();
                o.put(db, rs.getLong(1));
            } catch (SQLException e) {
                if (!"42P01".equals(e.getSQLState())) { // a service without an outbox table
                    throw e;
                }
            }
        }
        outboxes = o;
        streams();
    }

    private void streams() throws IOException {
        Map<String, Long> p = new LinkedHashMap<>();
        Map<String, Long> lg = new LinkedHashMap<>();
        Map<String, List<String>> dlq = new LinkedHashMap<>();
        try (Resp redis = new Resp(cluster.redis.port())) {
            Set<String> keys = new HashSet<>();
            String cursor = "0";
            do {
                List<Object> page = Resp.list(redis.call("SCAN", cursor, "COUNT", "1000", "TYPE", "stream"));
                cursor = (String) page.get(0);
                for (Object k : Resp.list(page.get(1))) {
                    keys.add((String) k);
                }
            } while (!"0".equals(cursor));
            for (String stream : keys.stream().sorted().toList()) {
                if (stream.endsWith(".dlq")) {
                    List<String> reasons = new ArrayList<>();
                    for (Object entry : Resp.list(redis.call("XRANGE", stream, "-", "+", "COUNT", "50"))) {
                        List<Object> fields = Resp.list(Resp.list(entry).get(1));
                        Map<String, String> f = new HashMap<>();
                        for (int i = 0; i + 1 < fields.size(); i += 2) {
                            f.put((String) fields.get(i), (String) fields.get(i + 1));
                        }
                        reasons.add(f.get("dlq.group") + ": " + f.get("dlq.reason") + " (" + f.get("dlq.originalId") + ")");
                    }
                    if (!reasons.isEmpty()) {
                        dlq.put(stream, reasons);
                    }
                    continue;
                }
                for (Object group : Resp.list(redis.call("XINFO", "GROUPS", stream))) {
                    List<Object> fields = Resp.list(group);
                    Map<String, Object> f = new HashMap<>();
                    for (int i = 0; i + 1 < fields.size(); i += 2) {
                        f.put((String) fields.get(i), fields.get(i + 1));
                    }
                    String name = stream + " / " + f.get("name");
                    p.put(name, (Long) f.get("pending"));
                    if (f.get("lag") instanceof Long l) {
                        lg.put(name, l);
                    }
                }
            }
        }
        pending = p;
        lag = lg;
        deadLetters = dlq;
    }

    /**
     * Whether the suite has caught up with everything acknowledged: every grant, sale, delivery and
     * return there, every outbox empty, nothing pending or unread in any consumer group. The drill
     * waits for this (with a deadline) before it judges.
     */
    boolean caughtUp() throws Exception {
        snapshot();
        for (Op op : load.ops) {
            if (!op.acknowledged) {
                continue;
            }
            switch (op.kind) {
                case PAYMENT -> {
                    if (!grants.containsKey(op.key)) {
                        return false;
                    }
                }
                case LEAD -> {
                    String[] row = op.leadId == null ? null : leads.get(op.leadId);
                    if (row == null || "HELD".equals(row[0])) {
                        return false; // a held lead is checked again (every 30 s by default) and decided then
                    }
                    if (soldInTheEnd(row) && (!"DELIVERED".equals(deliveries.get(op.leadId))
                            || !stub.postsByKey.containsKey(op.leadId))) {
                        return false;
                    }
                }
                case RETURN -> {
                    int[] r = revenue.get(op.leadId);
                    if (r == null || r[1] == 0) {
                        return false;
                    }
                }
                default -> {
                }
            }
        }
        return outboxes.values().stream().allMatch(n -> n == 0) && pending.values().stream().allMatch(n -> n == 0)
                && lag.values().stream().allMatch(n -> n == 0);
    }

    /** The verdict on one acknowledged request (after the last {@link #snapshot()}). */
    Verdict judge(Op op) {
        switch (op.kind) {
            case PAYMENT: {
                long[] g = grants.get(op.key);
                long expected = op.amount / 100;
                if (g == null) {
                    return new Verdict(true, false, "no grant for " + op.key);
                }
                if (g[0] > 1 || g[1] > expected) {
                    return new Verdict(false, true, op.key + ": " + g[0] + " grants, " + g[1] + " Nova for " + expected);
                }
                if (g[1] < expected) {
                    return new Verdict(true, false, op.key + ": granted " + g[1] + " Nova of " + expected);
                }
                return Verdict.OK;
            }
            case REDEMPTION: {
                List<String> rows = redemptions.getOrDefault(op.key, List.of());
                String expected = op.status == 201 ? "COMMITTED" : "REJECTED";
                if (rows.size() > 1 || (op.status == 409 && rows.contains("COMMITTED"))) {
                    return new Verdict(false, true, "redemption " + op.key + " answered " + op.status + ", ledger: " + rows);
                }
                if (rows.isEmpty() || !rows.get(0).equals(expected)) {
                    return new Verdict(true, false, "redemption " + op.key + " answered " + op.status + ", ledger: " + rows);
                }
                return Verdict.OK;
            }
            case LEAD: {
                String[] row = op.leadId == null ? null : leads.get(op.leadId);
                if (row == null) {
                    return new Verdict(true, false, "lead " + op.key + " (" + op.leadId + ") acknowledged but not stored");
                }
                if (leadsPerKey.getOrDefault(op.key, 0) > 1) {
                    return new Verdict(false, true, "lead key " + op.key + " stored " + leadsPerKey.get(op.key) + " times");
                }
                int[] rev = revenue.getOrDefault(op.leadId, new int[2]);
                // A HELD answer is decided later (the held-lead retry): the database's state is the outcome then.
                if ("HELD".equals(row[0])) {
                    return new Verdict(true, false, "lead " + op.leadId + " answered " + op.leadStatus + " is still HELD");
                }
                if (!"HELD".equals(op.leadStatus) && !op.leadStatus.equals(row[0])
                        && !("SOLD".equals(op.leadStatus) && "RETURNED".equals(row[0]))) {
                    return new Verdict(true, false, "lead " + op.leadId + " answered " + op.leadStatus + ", stored " + row[0]);
                }
                if (!soldInTheEnd(row)) {
                    return rev[0] > 0 ? new Verdict(false, true, "lead " + op.leadId + " is " + row[0] + " but booked a sale")
                            : Verdict.OK;
                }
                if (rev[0] == 0) {
                    return new Verdict(true, false, "sold lead " + op.leadId + " has no sale booked");
                }
                if (rev[0] > 1) {
                    return new Verdict(false, true, "sold lead " + op.leadId + " booked " + rev[0] + " sales");
                }
                if ("SOLD".equals(op.leadStatus)
                        && (!op.buyerId.equals(row[1]) || new BigDecimal(op.price).compareTo(new BigDecimal(row[2])) != 0)) {
                    return new Verdict(true, false, "sold lead " + op.leadId + " answered buyer " + op.buyerId + " at " + op.price
                            + ", stored " + row[1] + " at " + row[2]);
                }
                String delivery = deliveries.get(op.leadId);
                if (!"DELIVERED".equals(delivery)) {
                    return new Verdict(true, false, "sold lead " + op.leadId + " delivery is " + delivery);
                }
                if (!stub.postsByKey.containsKey(op.leadId)) {
                    return new Verdict(true, false, "sold lead " + op.leadId + " says DELIVERED but the buyer never got it");
                }
                BuyerStub.Delivery first = stub.firstByKey.get(op.leadId);
                if (!op.leadId.equals(first.bodyLeadId())) {
                    return new Verdict(false, true, "delivery under key " + op.leadId + " carried lead " + first.bodyLeadId());
                }
                return Verdict.OK;
            }
            case RETURN: {
                int[] rev = revenue.getOrDefault(op.leadId, new int[2]);
                String[] row = leads.get(op.leadId);
                if (rev[1] == 0) {
                    return new Verdict(true, false, "return " + op.key + " of lead " + op.leadId + " not booked");
                }
                if (rev[1] > 1) {
                    return new Verdict(false, true, "lead " + op.leadId + " booked " + rev[1] + " returns");
                }
                if (row == null || !"RETURNED".equals(row[0])) {
                    return new Verdict(true, false, "returned lead " + op.leadId + " is " + (row == null ? "missing" : row[0]));
                }
                return Verdict.OK;
            }
            default:
                return Verdict.OK;
        }
    }

    /** The checks of the whole suite: balances, reconciliation, revenue, effects nobody asked for, streams. */
    List<Check> suiteChecks() throws Exception {
        List<Check> checks = new ArrayList<>();
        // Wallet balances: funding + grants - applied redemptions, per driver.
        Map<String, Long> expected = new HashMap<>();
        for (String d : load.drivers) {
            expected.put(d, Load.FUNDING);
        }
        Set<String> payments = new HashSet<>();
        Set<String> redemptionKeys = new HashSet<>();
        Set<String> leadKeys = new HashSet<>();
        Set<String> soldLeads = new HashSet<>();
        BigDecimal revenueExpected = BigDecimal.ZERO;
        for (Op op : load.ops) {
            if (!op.acknowledged) {
                continue;
            }
            switch (op.kind) {
                case PAYMENT -> {
                    expected.merge(op.driver, op.amount / 100, Long::sum);
                    payments.add(op.key);
                }
                case REDEMPTION -> {
                    redemptionKeys.add(op.key);
                    if (op.status == 201) {
                        expected.merge(op.driver, -op.amount, Long::sum);
                    }
                }
                case LEAD -> {
                    leadKeys.add(op.key);
                    String[] row = op.leadId == null ? null : leads.get(op.leadId);
                    if (row != null && soldInTheEnd(row)) {
                        soldLeads.add(op.leadId);
                        revenueExpected = revenueExpected.add(new BigDecimal(row[2]));
                    }
                }
                case RETURN -> revenueExpected = revenueExpected.subtract(new BigDecimal(op.price));
                default -> {
                }
            }
        }
        List<String> wrong = new ArrayList<>();
        expected.forEach((d, v) -> {
            Long actual = balances.get(d);
            if (actual == null || actual.longValue() != v.longValue()) {
                wrong.add(d + " has " + actual + ", expected " + v);
            }
        });
        checks.add(new Check("every wallet balance = funding + acknowledged grants - applied redemptions", wrong.isEmpty(),
                wrong.isEmpty() ? load.drivers.size() + " wallets" : String.join("; ", wrong)));
        checks.add(new Check("no wallet negative", negativeWallets == 0, negativeWallets + " negative"));
        JsonNode reconciliation = get(cluster.urls("wallet-service").get(0) + "/v1/wallets/reconciliation");
        checks.add(new Check("the ledger reconciles (GET /v1/wallets/reconciliation)",
                reconciliation.path("consistent").asBoolean(false), reconciliation.toString()));

        List<String> unasked = new ArrayList<>();
        grants.keySet().stream().filter(k -> !payments.contains(k)).forEach(k -> unasked.add("grant " + k));
        redemptions.keySet().stream().filter(k -> !redemptionKeys.contains(k)).forEach(k -> unasked.add("redemption " + k));
        leads.values().stream().map(r -> r[3]).filter(k -> !leadKeys.contains(k)).forEach(k -> unasked.add("lead " + k));
        stub.postsByKey.keySet().stream().filter(k -> !soldLeads.contains(k)).forEach(k -> unasked.add("delivery " + k));
        if (stub.withoutKey.get() > 0) {
            unasked.add(stub.withoutKey.get() + " deliveries without an Idempotency-Key");
        }
        checks.add(new Check("no effect nobody was acknowledged for (grant, redemption, lead, delivery)", unasked.isEmpty(),
                unasked.isEmpty() ? "none" : String.join("; ", unasked.subList(0, Math.min(20, unasked.size())))));

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        JsonNode report = get(cluster.urls("auction-service").get(0) + "/v1/reports/revenue?from="
                + LocalDate.now(ZoneOffset.UTC).minusDays(1) + "&to=" + LocalDate.now(ZoneOffset.UTC).plusDays(1) + "&groupBy=day");
        BigDecimal reported = new BigDecimal(report.path("totals").path("price").asText("0"));
        checks.add(new Check("revenue = acknowledged sales - acknowledged returns (revenue report, " + today + ")",
                reported.compareTo(revenueExpected) == 0, "reported " + reported.toPlainString() + ", expected "
                        + revenueExpected.toPlainString()));
        long redelivered = stub.postsByKey.values().stream().filter(n -> n.get() > 1).count();
        checks.add(new Check("every sold lead reached its buyer once by Idempotency-Key", soldLeads.stream()
                .allMatch(stub.postsByKey::containsKey), soldLeads.size() + " sold, " + stub.postsByKey.size()
                        + " keys received; " + redelivered + " posted again under the same key (the buyer's dedupe)"));

        List<String> open = new ArrayList<>();
        pending.forEach((g, n) -> {
            if (n != 0) {
                open.add(g + " pending " + n);
            }
        });
        lag.forEach((g, n) -> {
            if (n != 0) {
                open.add(g + " lag " + n);
            }
        });
        checks.add(new Check("nothing pending or unread in any consumer group (XPENDING, XINFO GROUPS lag)", open.isEmpty(),
                open.isEmpty() ? pending.size() + " groups" : String.join("; ", open)));
        List<String> outboxRows = new ArrayList<>();
        outboxes.forEach((db, n) -> {
            if (n != 0) {
                outboxRows.add(db + " " + n);
            }
        });
        checks.add(new Check("every outbox relayed", outboxRows.isEmpty(), outboxRows.isEmpty() ? "empty" : String.join("; ", outboxRows)));
        checks.add(new Check("nothing dead-lettered (the drill sends no poison)", deadLetters.isEmpty(),
                deadLetters.isEmpty() ? "every <stream>.dlq empty" : deadLetters.toString()));
        return checks;
    }

    /** Sold, at once or after being held (and maybe returned since). */
    private static boolean soldInTheEnd(String[] leadRow) {
        return "SOLD".equals(leadRow[0]) || "RETURNED".equals(leadRow[0]);
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", load.admin()).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return Load.json("{\"status\":" + r.statusCode() + ",\"body\":" + new com.fasterxml.jackson.databind.ObjectMapper()
                    .writeValueAsString(r.body()) + "}");
        }
        return Load.json(r.body());
    }
}
