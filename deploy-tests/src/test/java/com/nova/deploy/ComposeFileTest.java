package com.nova.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The compose file, checked without a container engine (none on the CI machine): what it builds
 * exists, every service's database is created, every service name the others call is defined, and
 * each service's migration container runs before it with the Job's settings.
 */
class ComposeFileTest {

    static final Path COMPOSE = Rendered.ROOT.resolve("deploy/compose");

    @Test
    void theComposeFileIsConsistentWithTheRepository() throws Exception {
        JsonNode services = Rendered.YAML.readTree(COMPOSE.resolve("compose.yaml").toFile()).path("services");
        String databases = Files.readString(COMPOSE.resolve("init-databases.sql"));
        Set<String> names = new HashSet<>();
        services.fieldNames().forEachRemaining(names::add);
        for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode s = e.getValue();
            if (s.has("build")) {
                Path context = COMPOSE.resolve(s.at("/build/context").asText()).normalize();
                Path dockerfile = context.resolve(s.at("/build/dockerfile").asText());
                assertTrue(Files.exists(dockerfile), e.getKey() + ": " + dockerfile);
                assertTrue(Files.readString(dockerfile).contains("target/quarkus-app"), dockerfile + " copies the fast-jar");
            }
            String db = s.at("/environment/NOVA_DB_NAME").asText();
            if (!db.isEmpty()) {
                assertTrue(databases.contains("CREATE DATABASE " + db + ";"), e.getKey() + " uses database " + db);
                String module = s.path("image").asText().replace("nova/", "");
                String properties = Files.readString(Rendered.ROOT.resolve(module).resolve("src/main/resources/application.properties"));
                assertTrue(properties.contains("nova.db.name=" + db), e.getKey() + ": " + module + " calls its database " + db);
            }
            s.path("environment").fields().forEachRemaining(v -> {
                if (v.getValue().asText().startsWith("http://") && !v.getValue().asText().contains("localhost")) {
                    String host = v.getValue().asText().substring(7).split("[:/]")[0];
                    assertTrue(names.contains(host), e.getKey() + " calls " + host);
                }
            });
        }
        for (String service : Rendered.SERVICES) {
            JsonNode s = services.path(service);
            assertTrue(s.isObject(), service);
            String migrate = s.at("/depends_on").fieldNames().next();
            assertEquals("service_completed_successfully", s.at("/depends_on/" + migrate + "/condition").asText(), service);
            assertEquals("true", services.at("/" + migrate + "/environment/QUARKUS_INIT_AND_EXIT").asText(), migrate);
            assertEquals("true", services.at("/" + migrate + "/environment/QUARKUS_FLYWAY_MIGRATE_AT_START").asText(), migrate);
        }
    }

    /**
     * The gateway answers a provider 2xx (after which the provider never resends) once Redis has
     * the XADD; for that entry to survive a crash of Redis' host, not only of its process, Redis
     * must fsync its append-only file before it answers: appendonly yes, appendfsync always.
     */
    @Test
    void redisFsyncsEveryWriteBeforeItAnswers() throws Exception {
        JsonNode command = Rendered.YAML.readTree(COMPOSE.resolve("compose.yaml").toFile()).at("/services/redis/command");
        List<String> args = new ArrayList<>();
        if (command.isArray()) {
            command.forEach(a -> args.addAll(Arrays.asList(a.asText().trim().split("\\s+"))));
        } else {
            args.addAll(Arrays.asList(command.asText().trim().split("\\s+")));
        }
        assertEquals("redis-server", args.get(0), "the redis service runs redis-server: " + args);
        assertEquals("yes", valueOf(args, "--appendonly"), "redis command " + args);
        assertEquals("always", valueOf(args, "--appendfsync"), "redis command " + args);
    }

    /** The value after the last occurrence of {@code option} (redis-server lets a later one win). */
    private static String valueOf(List<String> args, String option) {
        int i = args.lastIndexOf(option);
        return i < 0 || i + 1 >= args.size() ? null : args.get(i + 1);
    }
}
