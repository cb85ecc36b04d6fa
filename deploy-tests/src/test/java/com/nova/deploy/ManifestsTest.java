package com.nova.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * Every overlay renders, and every object it renders is a valid object of the Kubernetes API
 * (fabric8's model of it): a misspelt field, a field at the wrong level or a wrong type fails
 * here, not at kubectl apply. Then what an operator relies on is checked on the rendered objects.
 */
class ManifestsTest {

    static final Map<String, Class<?>> KINDS = Map.of(
            "apps/v1/Deployment", Deployment.class,
            "v1/Service", Service.class,
            "v1/ServiceAccount", ServiceAccount.class,
            "v1/ConfigMap", ConfigMap.class,
            "batch/v1/Job", Job.class,
            "networking.k8s.io/v1/Ingress", Ingress.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class);

    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @ParameterizedTest
    @ValueSource(strings = { "staging", "prod", "prod-canary" })
    void everyRenderedObjectIsAValidKubernetesObject(String overlay) throws Exception {
        List<String> problems = new ArrayList<>();
        for (JsonNode o : Rendered.overlay(overlay)) {
            String key = o.path("apiVersion").asText() + "/" + o.path("kind").asText();
            Class<?> type = KINDS.get(key);
            if (type == null) {
                problems.add(Rendered.name(o) + ": unexpected kind " + key);
                continue;
            }
            Object model;
            try {
                model = JSON.treeToValue(o, type);
            } catch (Exception e) {
                problems.add(key + " " + Rendered.name(o) + ": " + e.getMessage().lines().findFirst().orElse(""));
                continue;
            }
            // fabric8 keeps fields it does not know in additionalProperties instead of failing.
            unknownFields(model, key + " " + Rendered.name(o), problems, new IdentityHashMap<>());
        }
        assertEquals(List.of(), problems);
    }

    private static void unknownFields(Object node, String path, List<String> problems, Map<Object, Boolean> seen) throws Exception {
        if (node == null || seen.put(node, true) != null) {
            return;
        }
        if (node instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                unknownFields(e, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                unknownFields(e.getValue(), path + "." + e.getKey(), problems, seen);
            }
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method m : node.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value = m.invoke(node);
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + extra.keySet());
                }
                continue;
            }
            unknownFields(value, path + "." + m.getName().substring(3, 4).toLowerCase() + m.getName().substring(4), problems, seen);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "staging", "prod" })
    void eachServiceHasWhatAnOperatorExpects(String overlay) throws Exception {
        List<JsonNode> all = Rendered.overlay(overlay);
        assertTrue(Rendered.ofKind(all, "Secret").isEmpty(), "no Secret is rendered: values never live in the repository");
        Set<String> names = all.stream().map(o -> o.path("kind").asText() + "/" + Rendered.name(o)).collect(Collectors.toSet());
        for (String service : Rendered.SERVICES) {
            for (String kind : List.of("Deployment", "Service", "ServiceAccount", "HorizontalPodAutoscaler",
                    "PodDisruptionBudget", "NetworkPolicy")) {
                assertTrue(names.contains(kind + "/" + service), overlay + ": " + kind + " " + service);
            }
            assertTrue(names.contains("Job/" + service + "-migrate"), overlay + ": the migration Job of " + service);
        }
        assertTrue(names.contains("NetworkPolicy/default-deny"));
        for (JsonNode d : Rendered.ofKind(all, "Deployment")) {
            Deployment dep = JSON.treeToValue(d, Deployment.class);
            var pod = dep.getSpec().getTemplate().getSpec();
            String name = dep.getMetadata().getName();
            assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), name + " runs as non-root");
            assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), name + " has no API token");
            assertEquals("true", dep.getSpec().getTemplate().getMetadata().getAnnotations().get("prometheus.io/scrape"), name);
            assertEquals("/q/metrics", dep.getSpec().getTemplate().getMetadata().getAnnotations().get("prometheus.io/path"), name);
            for (Container c : pod.getContainers()) {
                assertTrue(c.getImage().startsWith("registry.nova.example/nova/" + name + ":"), name + " image " + c.getImage());
                assertEquals("/q/health/live", c.getLivenessProbe().getHttpGet().getPath(), name);
                assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath(), name);
                assertEquals("/q/health/started", c.getStartupProbe().getHttpGet().getPath(), name);
                assertNotNull(c.getResources().getRequests().get("cpu"), name + " requests cpu");
                assertNotNull(c.getResources().getLimits().get("memory"), name + " limits memory");
                assertEquals(Boolean.TRUE, c.getSecurityContext().getReadOnlyRootFilesystem(), name + " read-only root");
                assertEquals(Boolean.FALSE, c.getSecurityContext().getAllowPrivilegeEscalation(), name);
                assertTrue(c.getEnv().stream().noneMatch(e -> e.getName().contains("PASSWORD") && e.getValue() != null),
                        name + ": passwords come from Secret references only");
                assertTrue(c.getEnvFrom().stream().anyMatch(e -> e.getConfigMapRef() != null
                        && e.getConfigMapRef().getName().startsWith("nova-common")), name + " reads the common ConfigMap");
            }
            // Pods never migrate: only the Job turns migrate-at-start on.
            assertFalse(d.toString().contains("QUARKUS_FLYWAY_MIGRATE_AT_START"), name);
        }
        for (JsonNode j : Rendered.ofKind(all, "Job")) {
            assertTrue(j.toString().contains("QUARKUS_INIT_AND_EXIT") && j.toString().contains("QUARKUS_FLYWAY_MIGRATE_AT_START"),
                    Rendered.name(j) + " migrates and exits");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "prod-canary" })
    void theCanaryIsASecondTrackBehindAWeightedIngress(String overlay) throws Exception {
        List<JsonNode> all = Rendered.overlay(overlay);
        List<JsonNode> ingresses = Rendered.ofKind(all, "Ingress");
        assertEquals(1, ingresses.size());
        JsonNode annotations = ingresses.get(0).path("metadata").path("annotations");
        assertEquals("true", annotations.path("nginx.ingress.kubernetes.io/canary").asText());
        int weight = Integer.parseInt(annotations.path("nginx.ingress.kubernetes.io/canary-weight").asText());
        assertTrue(weight >= 0 && weight <= 100);
        for (JsonNode d : Rendered.ofKind(all, "Deployment")) {
            assertEquals("canary", d.at("/spec/selector/matchLabels/track").asText(), Rendered.name(d));
            assertEquals("canary", d.at("/spec/template/metadata/labels/track").asText(), Rendered.name(d));
        }
        for (JsonNode s : Rendered.ofKind(all, "Service")) {
            assertEquals("canary", s.at("/spec/selector/track").asText(), Rendered.name(s));
        }
        assertTrue(Rendered.ofKind(all, "Job").isEmpty(), "migrations run once per release, not per track");
        // NGINX needs the canary Ingress to carry exactly the stable one's host and paths.
        JsonNode stable = Rendered.ofKind(Rendered.overlay("prod"), "Ingress").get(0);
        assertEquals(stable.at("/spec/rules/0/host"), ingresses.get(0).at("/spec/rules/0/host"));
        List<String> stablePaths = new ArrayList<>();
        stable.at("/spec/rules/0/http/paths").forEach(p -> stablePaths.add(p.path("path").asText()));
        List<String> canaryPaths = new ArrayList<>();
        ingresses.get(0).at("/spec/rules/0/http/paths").forEach(p -> canaryPaths.add(p.path("path").asText()));
        assertEquals(stablePaths, canaryPaths);
    }
}
