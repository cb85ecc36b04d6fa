package com.nova.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** The repository's deploy/ folder, and kustomize overlays rendered by kubectl as a user would. */
final class Rendered {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path K8S = ROOT.resolve("deploy/k8s");
    static final List<String> OVERLAYS = List.of("staging", "prod", "prod-canary");
    static final List<String> SERVICES = List.of("wallet-service", "webhook-gateway", "auction-service", "buyer-registry");
    static final YAMLMapper YAML = new YAMLMapper();

    private Rendered() {
    }

    /** {@code kubectl kustomize deploy/k8s/overlays/<overlay>}, split into its objects. */
    static List<JsonNode> overlay(String overlay) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(System.getenv().getOrDefault("KUBECTL", "kubectl"), "kustomize",
                K8S.resolve("overlays").resolve(overlay).toString()).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("kubectl kustomize " + overlay + " failed: " + err);
        }
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(out)) {
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isEmpty()) {
                    objects.add(n);
                }
            }
        }
        return objects;
    }

    static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    static String name(JsonNode o) {
        return o.path("metadata").path("name").asText();
    }

    static String namespace(JsonNode o) {
        return o.path("metadata").path("namespace").asText();
    }

    /** The object of this kind, namespace and name, if the rendering has it. */
    static Optional<JsonNode> find(List<JsonNode> objects, String kind, String namespace, String name) {
        return objects.stream()
                .filter(o -> kind.equals(o.path("kind").asText()) && namespace.equals(namespace(o)) && name.equals(name(o)))
                .findFirst();
    }

    /** The objects that run pods of the suite: Deployments and (migration) Jobs. */
    static List<JsonNode> workloads(List<JsonNode> objects) {
        return objects.stream().filter(o -> o.path("kind").asText().matches("Deployment|Job")).toList();
    }

    /** The service a workload runs (its app.kubernetes.io/name pod label). */
    static String serviceOf(JsonNode workload) {
        return workload.at("/spec/template/metadata/labels").path("app.kubernetes.io/name").asText();
    }

    /**
     * The environment a container of a pod in {@code namespace} starts with, as the kubelet builds
     * it: {@code envFrom} ConfigMaps in order, then {@code env} (later entries win). ConfigMaps must
     * be in the rendering; a Secret's value is whatever {@code secret.apply(secretName, key)} says
     * (the repository holds none).
     */
    static Map<String, String> environment(JsonNode container, String namespace, List<JsonNode> objects,
            BiFunction<String, String, String> secret) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            String prefix = from.path("prefix").asText("");
            if (from.has("configMapRef")) {
                String name = from.at("/configMapRef/name").asText();
                JsonNode cm = find(objects, "ConfigMap", namespace, name)
                        .orElseThrow(() -> new IllegalStateException("ConfigMap " + name + " is not rendered"));
                cm.path("data").fields().forEachRemaining(e -> env.put(prefix + e.getKey(), e.getValue().asText()));
            } else if (from.has("secretRef")) {
                throw new IllegalStateException("envFrom secretRef: name the keys one by one (" + from + ")");
            }
        }
        for (JsonNode e : container.path("env")) {
            String name = e.path("name").asText();
            if (e.has("value")) {
                env.put(name, e.path("value").asText());
            } else if (e.has("valueFrom") && e.at("/valueFrom/secretKeyRef").isObject()) {
                env.put(name, secret.apply(e.at("/valueFrom/secretKeyRef/name").asText(), e.at("/valueFrom/secretKeyRef/key").asText()));
            } else if (e.has("valueFrom") && e.at("/valueFrom/configMapKeyRef").isObject()) {
                String cmName = e.at("/valueFrom/configMapKeyRef/name").asText();
                String key = e.at("/valueFrom/configMapKeyRef/key").asText();
                find(objects, "ConfigMap", namespace, cmName).map(cm -> cm.path("data").path(key))
                        .filter(JsonNode::isTextual).ifPresent(v -> env.put(name, v.asText()));
            } else {
                env.put(name, "<" + e.path("valueFrom") + ">");
            }
        }
        return env;
    }

    /** The OpenAPI document the service's build wrote (quarkus.smallrye-openapi.store-schema-directory). */
    static JsonNode openApi(String service) throws IOException {
        Path doc = ROOT.resolve(service).resolve("target/openapi/openapi.yaml");
        if (!Files.exists(doc)) {
            throw new IllegalStateException(doc + " is missing: build the services first (./mvnw verify runs them before this module)");
        }
        return YAML.readTree(doc.toFile());
    }
}
