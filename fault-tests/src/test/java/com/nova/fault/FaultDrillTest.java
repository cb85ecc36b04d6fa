package com.nova.fault;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The fault drill: the packaged suite, two instances of each service against a PostgreSQL and a
 * Redis of the drill's own, under steady traffic from senders that retry until acknowledged, while
 * one fault after another hits it (Redis SIGKILLed and restarted from its AOF, PostgreSQL crashed
 * and recovered, a service instance SIGKILLed while its twin serves, an instance cut off from Redis
 * or PostgreSQL). After each fault every instance must come back to ready by itself. Then, once
 * the suite has caught up, nothing acknowledged may be lost or applied twice, the ledger must
 * reconcile, revenue must add up, and no consumer group may hold anything. {@code -Dfault.profile}
 * short (default, CI) or full ({@code deploy/ops/fault-drill.sh full}); {@code -Dfault.only=spec,...}
 * runs just those faults (see {@link Fault}).
 */
class FaultDrillTest {

    @Test
    void nothingAcknowledgedIsLostOrDoubledWhilePartsOfTheSuiteFail() throws Exception {
        Profile profile = Profile.current();
        Instant started = Instant.now();
        List<String> notes = new ArrayList<>();
        try (Cluster cluster = new Cluster(profile); BuyerStub stub = new BuyerStub()) {
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
            log("profile " + profile.name() + ": PostgreSQL on " + cluster.postgres.port() + ", Redis on " + cluster.redis.port()
                    + ", logs in " + cluster.logs);
            cluster.startInfrastructure();
            Load load = new Load(cluster, profile);
            load.createBuyers(stub);
            cluster.startServices();
            load.fundDrivers();
            log("suite up (2 instances of each service) after " + since(started));

            List<Fault> faults = profile.faults().stream().map(spec -> Fault.of(spec, cluster)).toList();
            load.phase("0. no fault (warm-up)");
            load.start();
            sleep(profile.before());
            int n = 0;
            for (int f = 0; f < faults.size(); f++) {
                Fault fault = faults.get(f);
                boolean cut = profile.faults().get(f).matches("(partition|reset|drop)-.*");
                String phase = (++n) + ". " + fault.name();
                load.phase(phase);
                log("fault " + phase);
                Instant injected = Instant.now();
                fault.inject().run();
                sleep(cut ? profile.cut() : profile.outage());
                fault.end().run();
                Instant ended = Instant.now();
                cluster.awaitAllReady(profile.readyDeadline());
                String note = phase + ": every instance ready " + since(ended) + " after the fault ended ("
                        + Duration.between(injected, ended).toSeconds() + " s of fault)";
                notes.add(note);
                log(note);
                sleep(profile.after());
            }
            load.phase((n + 1) + ". no fault (cool-down)");
            sleep(profile.after());
            load.stop();
            log("load stopped after " + since(started) + "; waiting for every request in hand to be acknowledged");
            boolean settled = load.awaitSettled(Duration.ofSeconds(300));

            Checks checks = new Checks(cluster, load, stub);
            Instant drainStart = Instant.now();
            Instant drainDeadline = drainStart.plus(profile.drainDeadline());
            boolean caughtUp = false;
            while (Instant.now().isBefore(drainDeadline)) {
                if (caughtUp = checks.caughtUp()) {
                    break;
                }
                Thread.sleep(1000);
            }
            log((caughtUp ? "caught up " : "NOT caught up ") + since(drainStart) + " after the last request settled");
            checks.snapshot();
            cluster.awaitAllReady(profile.readyDeadline());

            String report = report(profile, load, checks, notes, settled, caughtUp, started);
            System.out.println(report);
            Files.writeString(cluster.dir.resolve("report.txt"), report);

            long lost = 0;
            long doubled = 0;
            long unsettled = 0;
            for (Op op : load.ops) {
                if (!op.settled() || op.refused) {
                    unsettled++;
                    continue;
                }
                Checks.Verdict v = checks.judge(op);
                lost += v.lost() ? 1 : 0;
                doubled += v.doubled() ? 1 : 0;
            }
            List<Checks.Check> failed = checks.suiteChecks().stream().filter(c -> !c.passed()).toList();
            long serverErrors = serverErrors(load);
            assertTrue(lost == 0 && doubled == 0 && unsettled == 0 && serverErrors == 0 && failed.isEmpty(),
                    "fault drill: " + lost + " lost, " + doubled + " doubled, " + unsettled + " not acknowledged, "
                            + serverErrors + " answered with a 5xx other than 503 (a fault is a 503 to retry, never a 500); "
                            + "failed checks: " + failed.stream().map(Checks.Check::name).toList()
                            + " (report in target/fault/report.txt, logs in target/fault/logs)");
        }
    }

    private static String report(Profile profile, Load load, Checks checks, List<String> notes, boolean settled,
            boolean caughtUp, Instant started) throws Exception {
        Map<String, long[]> rows = new LinkedHashMap<>(); // requests, acknowledged, retried, lost, doubled, unacknowledged
        List<String> problems = new ArrayList<>();
        List<Op> ops = new ArrayList<>(load.ops);
        ops.sort((a, b) -> phaseNumber(a.phase) - phaseNumber(b.phase));
        long[] total = new long[6];
        for (Op op : ops) {
            long[] row = rows.computeIfAbsent(op.phase, k -> new long[6]);
            long[] add = new long[6];
            add[0] = 1;
            add[2] = op.attempts > 1 ? 1 : 0;
            if (op.acknowledged) {
                add[1] = 1;
                Checks.Verdict v = checks.judge(op);
                add[3] = v.lost() ? 1 : 0;
                add[4] = v.doubled() ? 1 : 0;
                if (v.why() != null) {
                    problems.add("[" + op.phase + "] " + v.why());
                }
            } else {
                add[5] = 1;
                problems.add("[" + op.phase + "] not acknowledged: " + op);
            }
            for (int i = 0; i < 6; i++) {
                row[i] += add[i];
                total[i] += add[i];
            }
        }
        StringBuilder out = new StringBuilder();
        String line = "-".repeat(118) + "\n";
        out.append("\nFault drill, profile ").append(profile.name()).append(", ").append(since(started)).append(" in all\n");
        out.append(line);
        out.append(String.format("%-58s %9s %13s %8s %6s %8s %13s%n", "fault", "requests", "acknowledged", "retried", "lost",
                "doubled", "unacknowledged"));
        out.append(line);
        rows.forEach((phase, r) -> out.append(String.format("%-58s %9d %13d %8d %6d %8d %13d%n", phase, r[0], r[1], r[2], r[3],
                r[4], r[5])));
        out.append(line);
        out.append(String.format("%-58s %9d %13d %8d %6d %8d %13d%n", "total", total[0], total[1], total[2], total[3], total[4],
                total[5]));
        out.append(line);
        Map<Op.Kind, long[]> kinds = new LinkedHashMap<>();
        for (Op op : ops) {
            long[] k = kinds.computeIfAbsent(op.kind, x -> new long[2]);
            k[0]++;
            k[1] += op.acknowledged ? 1 : 0;
        }
        out.append("requests by journey: ");
        kinds.forEach((k, v) -> out.append(k.name().toLowerCase()).append(' ').append(v[1]).append('/').append(v[0]).append("  "));
        out.append('\n');
        for (String note : notes) {
            out.append("  ").append(note).append('\n');
        }
        out.append("answers the senders retried, per fault:\n");
        for (String phase : rows.keySet()) {
            Map<String, java.util.concurrent.atomic.AtomicInteger> answers = load.sender.retried.get(phase);
            if (answers != null) {
                out.append("  ").append(phase).append(": ").append(answers).append('\n');
            }
        }
        if (serverErrors(load) > 0) {
            out.append("  ANSWERS WITH A 5xx OTHER THAN 503: a fault must answer 503 (retry), never 500\n");
        }
        if (!settled) {
            out.append("  SOME REQUESTS WERE STILL BEING RETRIED when the drill stopped waiting\n");
        }
        if (!caughtUp) {
            out.append("  THE SUITE DID NOT CATCH UP within the drain deadline\n");
        }
        for (Checks.Check c : checks.suiteChecks()) {
            out.append(String.format("  %s  %s: %s%n", c.passed() ? "PASS" : "FAIL", c.name(), c.detail()));
        }
        for (String p : problems.subList(0, Math.min(problems.size(), 40))) {
            out.append("  ").append(p).append('\n');
        }
        if (problems.size() > 40) {
            out.append("  ... and ").append(problems.size() - 40).append(" more\n");
        }
        return out.toString();
    }

    /** Answers with a 5xx other than 503 "try again": a fault the service did not report as one. */
    private static long serverErrors(Load load) {
        return load.sender.retried.values().stream().flatMap(m -> m.entrySet().stream())
                .filter(e -> e.getKey().matches("5\\d\\d") && !e.getKey().equals("503"))
                .mapToLong(e -> e.getValue().get()).sum();
    }

    private static int phaseNumber(String phase) {
        int dot = phase.indexOf('.');
        try {
            return dot > 0 ? Integer.parseInt(phase.substring(0, dot)) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String since(Instant start) {
        return Duration.between(start, Instant.now()).toSeconds() + " s";
    }

    private static void log(String message) {
        System.out.println("[fault-drill " + java.time.LocalTime.now().withNano(0) + "] " + message);
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }
}
