package com.nova.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

    /** The OpenAPI document the service's build wrote (quarkus.smallrye-openapi.store-schema-directory). */
    static JsonNode openApi(String service) throws IOException {
        Path doc = ROOT.resolve(service).resolve("target/openapi/openapi.yaml");
        if (!Files.exists(doc)) {
            throw new IllegalStateException(doc + " is missing: build the services first (./mvnw verify runs them before this module)");
        }
        return YAML.readTree(doc.toFile());
    }
}
