package com.nova.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The alert rules are valid (promtool check rules), and each one's unit test passes (promtool test rules). */
class AlertRulesTest {

    static final Path DIR = Rendered.ROOT.resolve("deploy/observability");

    private static String promtool(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = System.getenv().getOrDefault("PROMTOOL", "promtool");
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
        return out;
    }

    @Test
    void theRulesAreValid() throws Exception {
        assertTrue(promtool("check", "rules", "alerts.yaml").contains("SUCCESS"));
    }

    @Test
    void everyRuleHasAUnitTestAndTheyPass() throws Exception {
        Set<String> alerts = new HashSet<>();
        for (JsonNode group : Rendered.YAML.readTree(DIR.resolve("alerts.yaml").toFile()).path("groups")) {
            group.path("rules").forEach(r -> alerts.add(r.path("alert").asText()));
        }
        Set<String> tested = new HashSet<>();
        for (JsonNode test : Rendered.YAML.readTree(DIR.resolve("alerts.test.yaml").toFile()).path("tests")) {
            test.path("alert_rule_test").forEach(t -> {
                if (!t.path("exp_alerts").isEmpty()) {
                    tested.add(t.path("alertname").asText());
                }
            });
        }
        assertEquals(alerts, tested, "each alert has a test in which it fires");
        assertTrue(promtool("test", "rules", "alerts.test.yaml").contains("SUCCESS"));
    }

    /** The dashboard is valid JSON and charts every metric an alert watches. */
    @Test
    void theDashboardShowsWhatTheAlertsWatch() throws Exception {
        JsonNode dashboard = new com.fasterxml.jackson.databind.ObjectMapper().readTree(DIR.resolve("grafana-dashboard.json").toFile());
        StringBuilder exprs = new StringBuilder();
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> exprs.append(t.path("expr").asText()).append('\n')));
        java.util.regex.Matcher metric = java.util.regex.Pattern.compile("\\b([a-z_]+_(total|seconds_count|seconds_bucket|lag|pending|differences|transactions|last_run_seconds))\\b")
                .matcher(java.nio.file.Files.readString(DIR.resolve("alerts.yaml")));
        Set<String> missing = new HashSet<>();
        while (metric.find()) {
            if (!metric.group(1).endsWith("last_run_seconds") && !exprs.toString().contains(metric.group(1))) {
                missing.add(metric.group(1));
            }
        }
        assertEquals(Set.of(), missing);
    }
}
