package com.nova.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The configuration a packaged service resolves in a pod, computed the way SmallRye Config does it
 * for what the services use: the environment first (a property {@code a.b-c} is also read from
 * {@code A_B_C}), then the service's {@code application.properties}, then the kit's
 * {@code META-INF/microprofile-config.properties}; in each, {@code %<profile>.name} before
 * {@code name}; {@code ${name}} and {@code ${name:default}} expanded (nested too). The profile is
 * {@code QUARKUS_PROFILE}, {@code prod} when unset (a packaged run).
 */
final class ServiceConfiguration {

    static final Path KIT = Rendered.ROOT.resolve("service-kit/src/main/resources/META-INF/microprofile-config.properties");

    final String service;
    final String profile;
    private final Map<String, String> env;
    private final List<Properties> files = new ArrayList<>();

    private ServiceConfiguration(String service, Map<String, String> env) throws IOException {
        this.service = service;
        this.env = env;
        this.profile = env.getOrDefault("QUARKUS_PROFILE", "prod");
        files.add(load(Rendered.ROOT.resolve(service).resolve("src/main/resources/application.properties")));
        files.add(load(KIT));
    }

    static ServiceConfiguration of(String service, Map<String, String> env) throws IOException {
        return new ServiceConfiguration(service, env);
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p;
    }

    /** The environment variable names SmallRye's EnvConfigSource tries for a property name. */
    static List<String> envNames(String property) {
        String sanitized = property.replaceAll("[^A-Za-z0-9]", "_");
        return List.of(property, sanitized, sanitized.toUpperCase(Locale.ROOT));
    }

    /** Every property name this profile can see in the two files (profile prefixes stripped; other profiles left out). */
    Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        for (Properties p : files) {
            for (String k : p.stringPropertyNames()) {
                if (!k.startsWith("%")) {
                    names.add(k);
                } else if (k.startsWith("%" + profile + ".")) {
                    names.add(k.substring(profile.length() + 2));
                }
            }
        }
        return names;
    }

    /** Property names whose value reads this environment variable, directly or through an expression. */
    Set<String> readersOf(String envVar) {
        Set<String> readers = new LinkedHashSet<>();
        for (String name : names()) {
            if (envNames(name).contains(envVar)) {
                readers.add(name);
            }
            String raw = raw(name, false).orElse("");
            if (raw.contains("${" + envVar + "}") || raw.contains("${" + envVar + ":")) {
                readers.add(name);
            }
        }
        return readers;
    }

    /** The value the service resolves, expanded; empty when nothing sets it. */
    Optional<String> get(String name) {
        return raw(name, true).map(v -> expand(v, 0));
    }

    private Optional<String> raw(String name, boolean withEnv) {
        if (withEnv) {
            for (String e : envNames(name)) {
                if (env.containsKey(e)) {
                    return Optional.of(env.get(e));
                }
            }
        }
        for (Properties p : files) {
            String v = p.getProperty("%" + profile + "." + name);
            if (v != null) {
                return Optional.of(v);
            }
        }
        for (Properties p : files) {
            String v = p.getProperty(name);
            if (v != null) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    private String expand(String value, int depth) {
        if (depth > 20) {
            throw new IllegalStateException(service + ": expression nesting too deep in " + value);
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            int start = value.indexOf("${", i);
            if (start < 0) {
                out.append(value, i, value.length());
                break;
            }
            out.append(value, i, start);
            int level = 0;
            int end = -1;
            int colon = -1;
            for (int j = start + 2; j < value.length(); j++) {
                char c = value.charAt(j);
                if (c == '{' && value.charAt(j - 1) == '$') {
                    level++;
                } else if (c == '}') {
                    if (level == 0) {
                        end = j;
                        break;
                    }
                    level--;
                } else if (c == ':' && level == 0 && colon < 0) {
                    colon = j;
                }
            }
            if (end < 0) {
                throw new IllegalStateException(service + ": unterminated expression in " + value);
            }
            String name = value.substring(start + 2, colon < 0 ? end : colon);
            Optional<String> resolved = raw(name, true).map(v -> expand(v, depth + 1));
            if (resolved.isPresent()) {
                out.append(resolved.get());
            } else if (colon >= 0) {
                out.append(expand(value.substring(colon + 1, end), depth + 1));
            } else {
                throw new IllegalStateException(service + ": ${" + name + "} has no value and no default");
            }
            i = end + 1;
        }
        return out.toString();
    }
}
