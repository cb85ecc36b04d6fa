package com.nova.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.nova.deploy.ConfigMappings.Key;

/**
 * The README's configuration tables (the {@code | variable | default | meaning |} tables of its
 * "Configuration" section) against what the services read: the keys of every {@code @ConfigMapping}
 * interface (ConfigMappings reads their sources) and the properties files (the kit's
 * {@code microprofile-config.properties} and each service's {@code application.properties}).
 * A documented variable must be read: it is the variable SmallRye maps to a mapping key, a
 * variable a property reads through {@code ${VAR:default}}, or the variable of a property the
 * files set. Every mapping key must be documented. A documented default must be the
 * {@code @WithDefault} (or the {@code ${VAR:default}} a property reads it with), and no
 * {@code application.properties} may write a mapping's default a second time.
 */
class ConfigurationTableTest {

    static final Path README = Rendered.ROOT.resolve("README.md");
    static final List<String> MODULES = List.of("service-kit", "wallet-service", "webhook-gateway", "auction-service", "buyer-registry");
    /** Variables Quarkus reads itself, for which no property in the files stands. */
    static final Set<String> QUARKUS_OWN = Set.of("QUARKUS_PROFILE");
    static final Pattern VARIABLE = Pattern.compile("[A-Z][A-Z0-9_]*(<[A-Z]+>[A-Z0-9_]*)*");
    static final Pattern CODE = Pattern.compile("`([^`]*)`");

    /** A documented variable: its README line, its default there (empty: none given), what the row says. */
    record Documented(int line, String variable, Optional<String> defaultValue, String meaning) {
    }

    /** One line of a properties file: the profiles it is for (none: every profile), name, raw value. */
    record Prop(String file, Set<String> profiles, String name, String value) {

        /** Whether a packaged service (the prod profile) reads this line. */
        boolean packaged() {
            return profiles.isEmpty() || profiles.contains("prod");
        }
    }

    /** {@code ${name}} or {@code ${name:default}} in a property value. */
    record Expression(String name, Optional<String> defaultValue) {
    }

    static List<Key> keys;
    static List<Prop> props;
    static List<Documented> documented;
    static List<String> tableProblems;

    @BeforeAll
    static void read() throws IOException {
        keys = new ArrayList<>();
        for (String module : MODULES) {
            keys.addAll(ConfigMappings.of(module));
        }
        props = new ArrayList<>(properties(ServiceConfiguration.KIT));
        for (String service : Rendered.SERVICES) {
            props.addAll(properties(applicationProperties(service)));
        }
        tableProblems = new ArrayList<>();
        documented = table(Files.readAllLines(README), tableProblems);
    }

    @Test
    void theReaderFindsTheMappingsAndTheTables() {
        // Guards against a reader that silently finds nothing.
        assertEquals(Set.copyOf(MODULES), keys.stream().map(Key::module).collect(Collectors.toSet()), "a mapping in every module");
        Map<String, Key> byName = keys.stream().collect(Collectors.toMap(Key::name, Function.identity()));
        assertEquals(Optional.of("true"), byName.get("kit.background.enabled").defaultValue());
        assertEquals(Optional.empty(), byName.get("kit.background.disabled").defaultValue());
        assertEquals(Optional.of("5s"), byName.get("kit.transaction-timeout").defaultValue());
        assertEquals(Optional.of("${HOSTNAME:local}"), byName.get("kit.streams.consumer-name").defaultValue());
        assertTrue(byName.containsKey("kit.rate-limit.classes.*.limit") && byName.containsKey("kit.rate-limit.classes.*.period"));
        assertTrue(byName.containsKey("wallet.frontend.features.*"));
        assertEquals(Optional.of("https://api.nova.example"), byName.get("wallet.frontend.api-base-url").defaultValue());
        assertEquals(Optional.of("72h"), byName.get("gateway.square.max-event-age").defaultValue());
        assertTrue(byName.containsKey("auction.compliance.trustedform.api-key"));
        assertTrue(byName.containsKey("buyers.webhook-secrets.grace-period"));
        assertTrue(documented.size() > 50, "the README's configuration tables: " + documented.size() + " variables");
    }

    @Test
    void theReaderNamesKeysAsSmallRyeDoes() {
        String source = """
                package x;
                import io.smallrye.config.ConfigMapping;
                /** A {@code brace} in a comment: { */
                @ConfigMapping(prefix = "demo")
                public interface DemoConfig {
                    String NOT_A_KEY = "constant";
                    @WithDefault("http://localhost:1/{x}") String baseUrl();
                    @WithName("renamed") @WithDefault("2") int original();
                    Optional<Group> maybe();
                    @WithParentName Group flat();
                    Map<String, Group> perName();
                    Map<String, Boolean> flags();
                    Optional<java.util.List<String>> listed();
                    Kind kind();
                    default String derived() { return baseUrl() + "/"; }
                    interface Group {
                        @WithDefault("1s") java.time.Duration legacySha1Timeout();
                    }
                    enum Kind { A, B }
                }
                """;
        List<String> names = ConfigMappings.read("demo", "DemoConfig.java", source).stream()
                .map(k -> k.name() + k.defaultValue().map(d -> "=" + d).orElse("")).toList();
        assertEquals(List.of("demo.base-url=http://localhost:1/{x}", "demo.renamed=2", "demo.maybe.legacy-sha1-timeout=1s",
                "demo.legacy-sha1-timeout=1s", "demo.per-name.*.legacy-sha1-timeout=1s", "demo.flags.*", "demo.listed", "demo.kind"),
                names);
        Key map = new Key("demo", "kit.rate-limit.classes.*.limit", Optional.empty(), "");
        assertTrue(map.matchesEnv("KIT_RATE_LIMIT_CLASSES_<CLASS>_LIMIT"));
        assertTrue(map.matchesEnv("KIT_RATE_LIMIT_CLASSES_WEBHOOKS_STRIPE_LIMIT"));
        assertFalse(map.matchesEnv("KIT_RATE_LIMIT_CLASSES_LIMIT"));
        assertTrue(map.matchesProperty("kit.rate-limit.classes.webhooks-stripe.limit"));
        assertThrows(IllegalStateException.class, () -> ConfigMappings.read("demo", "Bad.java",
                "@ConfigMapping(prefix = \"d\") interface Bad { @WithUnnamedKey(\"x\") Map<String, String> m(); }"));
        assertEquals(List.of(new Expression("A", Optional.of("${B:c}")), new Expression("B", Optional.of("c")),
                new Expression("nova.db.host", Optional.empty())), expressions("x${A:${B:c}}y${nova.db.host}"));
    }

    @Test
    void everyDocumentedVariableIsReadAndEveryMappingKeyIsDocumented() {
        List<String> problems = new ArrayList<>(tableProblems);
        Set<String> seen = new LinkedHashSet<>();
        for (Documented d : documented) {
            if (!seen.add(d.variable())) {
                problems.add(where(d) + "`" + d.variable() + "` is documented twice");
            }
            if (d.meaning().isBlank()) {
                problems.add(where(d) + "`" + d.variable() + "` has no meaning");
            }
            if (mappingKeys(d.variable()).isEmpty() && readers(d.variable()).isEmpty() && propertiesNamed(d.variable()).isEmpty()
                    && !QUARKUS_OWN.contains(d.variable())) {
                problems.add(where(d) + "`" + d.variable() + "` is read by nothing: no mapping key (" + nearest(d.variable())
                        + "), no property reads it, and none is set under that name");
            }
        }
        for (Key k : keys) {
            boolean covered = documented.stream().anyMatch(d -> k.matchesEnv(d.variable())
                    || readers(d.variable()).stream().anyMatch(p -> k.matchesProperty(p.name())));
            if (!covered) {
                problems.add(k.mapping() + ": " + k.name() + " (`" + k.env().replace("*", "<NAME>") + "`"
                        + k.defaultValue().map(v -> ", default `" + v + "`").orElse("") + ") is not in the README's configuration tables");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void documentedDefaultsAreTheDefaults() {
        List<String> problems = new ArrayList<>();
        for (Documented d : documented) {
            if (d.variable().contains("<") || QUARKUS_OWN.contains(d.variable())) {
                continue; // one row for many keys; Quarkus' own
            }
            Optional<Optional<String>> expected = expectedDefault(d.variable(), problems);
            if (expected.isEmpty() || expected.get().equals(d.defaultValue())) {
                continue;
            }
            problems.add(where(d) + "`" + d.variable() + "`: the README says "
                    + d.defaultValue().map(v -> "`" + v + "`").orElse("no default") + ", the code "
                    + expected.get().map(v -> "`" + v + "`").orElse("has none") + " (" + sourceOfDefault(d.variable()) + ")");
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void applicationPropertiesDoNotRepeatAMappingDefault() {
        List<String> problems = new ArrayList<>();
        for (Prop p : props) {
            if (!p.file().endsWith("application.properties") || !p.profiles().isEmpty()) {
                continue; // profile overrides are values of their own
            }
            for (Key k : keys) {
                if (!k.matchesProperty(p.name())) {
                    continue;
                }
                List<Expression> whole = expressions(p.value());
                boolean onlyExpression = whole.size() >= 1 && p.value().startsWith("${") && p.value().endsWith("}")
                        && p.value().equals("${" + whole.get(0).name() + whole.get(0).defaultValue().map(v -> ":" + v).orElse("") + "}");
                if (onlyExpression && ServiceConfiguration.envNames(p.name()).contains(whole.get(0).name())) {
                    problems.add(p.file() + ": " + p.name() + "=" + p.value() + " reads " + whole.get(0).name()
                            + ", which SmallRye maps to " + p.name() + " already: drop the line" + k.defaultValue().map(v -> " (@WithDefault is `" + v + "`)").orElse(""));
                } else if (k.defaultValue().isPresent() && (p.value().equals(k.defaultValue().get())
                        || onlyExpression && whole.get(0).defaultValue().equals(k.defaultValue()))) {
                    problems.add(p.file() + ": " + p.name() + "=" + p.value() + " repeats the @WithDefault of " + k.mapping()
                            + (onlyExpression ? " under a second variable, " + whole.get(0).name() + "; document " + k.env() + " instead" : ""));
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    // --- What the code reads

    static Path applicationProperties(String service) {
        return Rendered.ROOT.resolve(service).resolve("src/main/resources/application.properties");
    }

    static List<Prop> properties(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        String where = Rendered.ROOT.relativize(file).toString();
        List<Prop> out = new ArrayList<>();
        for (String name : new TreeSet<>(p.stringPropertyNames())) {
            if (name.startsWith("%")) {
                int dot = name.indexOf('.');
                out.add(new Prop(where, Set.of(name.substring(1, dot).split(",")), name.substring(dot + 1), p.getProperty(name)));
            } else {
                out.add(new Prop(where, Set.of(), name, p.getProperty(name)));
            }
        }
        return out;
    }

    /** Every expression in a value, nested ones (in defaults) too, outermost first. */
    static List<Expression> expressions(String value) {
        List<Expression> out = new ArrayList<>();
        int i = 0;
        while ((i = value.indexOf("${", i)) >= 0) {
            int level = 0;
            int colon = -1;
            int end = -1;
            for (int j = i + 2; j < value.length() && end < 0; j++) {
                char c = value.charAt(j);
                if (c == '{' && value.charAt(j - 1) == '$') {
                    level++;
                } else if (c == '}') {
                    if (level == 0) {
                        end = j;
                    }
                    level--;
                } else if (c == ':' && level == 0 && colon < 0) {
                    colon = j;
                }
            }
            if (end < 0) {
                throw new IllegalStateException("unterminated expression in " + value);
            }
            String name = value.substring(i + 2, colon < 0 ? end : colon);
            Optional<String> fallback = colon < 0 ? Optional.empty() : Optional.of(value.substring(colon + 1, end));
            out.add(new Expression(name, fallback));
            fallback.ifPresent(f -> out.addAll(expressions(f)));
            i = end + 1;
        }
        return out;
    }

    /** The mapping keys SmallRye maps this variable to. */
    static List<Key> mappingKeys(String variable) {
        return keys.stream().filter(k -> k.matchesEnv(variable)).toList();
    }

    /** The properties a packaged service reads this variable through ({@code ${VAR}}, {@code ${VAR:default}}). */
    static List<Prop> readers(String variable) {
        return READERS.computeIfAbsent(variable, v -> props.stream().filter(Prop::packaged)
                .filter(p -> expressions(p.value()).stream().anyMatch(e -> e.name().equals(v))).toList());
    }

    private static final Map<String, List<Prop>> READERS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The lines of the files (any profile) that set the property this variable stands for. */
    static List<Prop> propertiesNamed(String variable) {
        return props.stream().filter(p -> ServiceConfiguration.envNames(p.name()).contains(variable)).toList();
    }

    /**
     * The default a packaged service has for this variable, when the code says one: empty when it
     * does not (the values differ per service, or only profiles set it); an empty inner Optional
     * for "no default".
     */
    static Optional<Optional<String>> expectedDefault(String variable, List<String> problems) {
        List<Prop> readers = readers(variable);
        if (!readers.isEmpty()) {
            Set<Optional<String>> defaults = readers.stream()
                    .flatMap(p -> expressions(p.value()).stream().filter(e -> e.name().equals(variable)))
                    .map(e -> e.defaultValue().filter(v -> !v.isEmpty())).collect(Collectors.toSet());
            if (defaults.size() > 1) {
                problems.add("`" + variable + "` is read with different defaults: " + readers);
                return Optional.empty();
            }
            return Optional.of(defaults.iterator().next());
        }
        List<Key> mapped = mappingKeys(variable);
        if (!mapped.isEmpty()) {
            Set<Optional<String>> defaults = mapped.stream().map(Key::defaultValue).collect(Collectors.toSet());
            if (defaults.size() > 1) {
                problems.add("`" + variable + "` names mapping keys with different defaults: " + mapped);
                return Optional.empty();
            }
            Optional<String> withDefault = defaults.iterator().next();
            if (withDefault.isPresent()) {
                return Optional.of(withDefault);
            }
            // A key without @WithDefault: the value the files give it, if they agree (a rate-limit class).
            Set<String> values = propertiesNamed(variable).stream().filter(p -> p.profiles().isEmpty()).map(Prop::value)
                    .collect(Collectors.toSet());
            return Optional.of(values.size() == 1 ? Optional.of(values.iterator().next()) : Optional.empty());
        }
        Set<String> values = propertiesNamed(variable).stream().filter(Prop::packaged).map(Prop::value).collect(Collectors.toSet());
        return values.size() == 1 ? Optional.of(Optional.of(values.iterator().next())) : Optional.empty();
    }

    static String sourceOfDefault(String variable) {
        List<Prop> readers = readers(variable);
        if (!readers.isEmpty()) {
            return readers.stream().map(p -> p.file() + ": " + p.name() + "=" + p.value()).collect(Collectors.joining("; "));
        }
        List<Key> mapped = mappingKeys(variable);
        if (!mapped.isEmpty()) {
            return mapped.stream().map(k -> k.mapping() + ": " + k.name()).collect(Collectors.joining("; "));
        }
        return propertiesNamed(variable).stream().map(p -> p.file() + ": " + p.name() + "=" + p.value()).collect(Collectors.joining("; "));
    }

    /** The mapping keys whose variable shares the most leading words with this one, to help a reader spot a rename. */
    static String nearest(String variable) {
        String[] words = variable.split("_");
        int best = 0;
        List<String> out = new ArrayList<>();
        for (Key k : keys) {
            String[] other = k.env().split("_");
            int n = 0;
            while (n < words.length && n < other.length && words[n].equals(other[n])) {
                n++;
            }
            if (n > best) {
                best = n;
                out.clear();
            }
            if (n == best && n > 0) {
                out.add(k.env());
            }
        }
        return out.isEmpty() ? "none like it" : "closest: " + String.join(", ", out.subList(0, Math.min(3, out.size())));
    }

    // --- What the README says

    /**
     * The variables of the {@code | variable | default | meaning |} tables in the README's
     * "Configuration" section. The variable cell holds variables in backticks, comma-separated
     * ({@code <NAME>} for a map key); the default cell one default per variable in the same order,
     * comma-separated, in backticks (anything else, "none", means no default); a row with one
     * variable may explain its default around the backticks.
     */
    static List<Documented> table(List<String> lines, List<String> problems) {
        List<Documented> out = new ArrayList<>();
        int start = lines.indexOf("## Configuration");
        if (start < 0) {
            problems.add("README.md has no '## Configuration' section");
            return out;
        }
        boolean inTable = false;
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            String line = lines.get(i).trim();
            if (!line.startsWith("|")) {
                inTable = false;
                continue;
            }
            List<String> cells = cells(line);
            if (cells.size() == 3 && cells.get(0).equalsIgnoreCase("variable") && cells.get(1).equalsIgnoreCase("default")
                    && cells.get(2).equalsIgnoreCase("meaning")) {
                inTable = true;
                continue;
            }
            if (!inTable || line.matches("\\|[-|: ]+\\|")) {
                continue;
            }
            String at = "README.md:" + (i + 1) + ": ";
            if (cells.size() != 3) {
                problems.add(at + "a row of a configuration table needs 3 cells: " + line);
                continue;
            }
            List<String> variables = new ArrayList<>();
            Matcher m = CODE.matcher(cells.get(0));
            while (m.find()) {
                variables.add(m.group(1));
            }
            if (variables.isEmpty() || !CODE.matcher(cells.get(0)).replaceAll("").matches("[,\\s]*")) {
                problems.add(at + "write each variable in full, in backticks, comma-separated: " + cells.get(0));
                continue;
            }
            variables.stream().filter(v -> !VARIABLE.matcher(v).matches())
                    .forEach(v -> problems.add(at + "`" + v + "` is not an environment variable name"));
            List<String> parts = split(cells.get(1));
            List<Optional<String>> defaults = new ArrayList<>();
            if (parts.size() == variables.size()) {
                parts.forEach(p -> defaults.add(firstCode(p)));
            } else if (variables.size() == 1) {
                defaults.add(firstCode(cells.get(1)));
            } else {
                problems.add(at + variables.size() + " variables but " + parts.size() + " defaults: give one per variable, comma-separated");
                continue;
            }
            for (int v = 0; v < variables.size(); v++) {
                out.add(new Documented(i + 1, variables.get(v), defaults.get(v), cells.get(2)));
            }
        }
        return out;
    }

    /** The cells of a table row, split at unescaped pipes. */
    static List<String> cells(String row) {
        String inner = row.substring(1, row.endsWith("|") ? row.length() - 1 : row.length());
        return List.of(inner.split("(?<!\\\\)\\|", -1)).stream().map(String::trim).toList();
    }

    /** Comma-separated parts, commas inside backticks or parentheses not counting. */
    static List<String> split(String cell) {
        List<String> parts = new ArrayList<>();
        boolean code = false;
        int depth = 0;
        int start = 0;
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (c == '`') {
                code = !code;
            } else if (!code && c == '(') {
                depth++;
            } else if (!code && c == ')') {
                depth--;
            } else if (!code && depth == 0 && c == ',') {
                parts.add(cell.substring(start, i).trim());
                start = i + 1;
            }
        }
        parts.add(cell.substring(start).trim());
        return parts;
    }

    static Optional<String> firstCode(String text) {
        Matcher m = CODE.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static String where(Documented d) {
        return "README.md:" + d.line() + ": ";
    }
}
