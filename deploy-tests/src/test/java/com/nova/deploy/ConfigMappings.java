package com.nova.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The configuration keys the services' {@code @ConfigMapping} interfaces declare, read from their
 * Java sources the way SmallRye Config names them: the mapping's {@code prefix}, then each member
 * in kebab case ({@code redisKeyPrefix} is {@code redis-key-prefix}) or its {@code @WithName};
 * nested interfaces are groups (their members below the member's name, or at the same level with
 * {@code @WithParentName}); {@code Optional<T>} is T, not required; a {@code Map<String, T>}
 * member is {@code name.*}, with T's keys below when T is a group. Defaults are
 * {@code @WithDefault}. Anything else the reader does not understand fails, rather than being
 * skipped.
 */
final class ConfigMappings {

    /** One key: {@code *} stands for a map key; {@code defaultValue} is the {@code @WithDefault}. */
    record Key(String module, String name, Optional<String> defaultValue, String mapping) {

        /** The environment variable SmallRye maps to this key ({@code *} kept for a map key). */
        String env() {
            return name.replaceAll("[^A-Za-z0-9*]", "_").toUpperCase(Locale.ROOT);
        }

        /** Whether the variable, concrete ({@code KIT_RATE_LIMIT_CLASSES_DEFAULT_LIMIT}) or with placeholders ({@code ..._<CLASS>_LIMIT}), names this key. */
        boolean matchesEnv(String variable) {
            if (variable.contains("<")) {
                return variable.replaceAll("<[A-Z]+>", "*").equals(env());
            }
            return Pattern.compile(Pattern.quote(env()).replace("*", "\\E[A-Z0-9_]+\\Q")).matcher(variable).matches();
        }

        /** Whether the property name is this key (any map key for {@code *}). */
        boolean matchesProperty(String property) {
            return Pattern.compile(Pattern.quote(name).replace("*", "\\E[^.]+\\Q")).matcher(property).matches();
        }
    }

    /** The annotations of the mapping API the reader knows; any other {@code @With...} fails. */
    static final Set<String> KNOWN = Set.of("WithDefault", "WithName", "WithParentName", "WithConverter");

    private static final Pattern MAPPING = Pattern.compile("@(?:io\\.smallrye\\.config\\.)?ConfigMapping\\s*\\(([^()]*)\\)");
    private static final Pattern TOP_TYPE = Pattern.compile("\\binterface\\s+(\\w+)[^{;]*\\{");
    private static final Pattern TYPE_HEADER = Pattern.compile("(?s).*\\b(interface|enum|class|record)\\s+(\\w+)\\b[^;]*$");
    private static final Pattern MEMBER = Pattern.compile(
            "(?s)((?:@[\\w.]+(?:\\s*\\([^()]*\\))?\\s*)*)(?:(?:public|abstract)\\s+)*([\\w.]+(?:\\s*<.*>)?(?:\\s*\\[\\s*])*)\\s+(\\w+)\\s*\\(\\s*\\)");
    private static final Pattern ANNOTATION = Pattern.compile("@([\\w.]+)(?:\\s*\\(([^()]*)\\))?");
    private static final Pattern LEADING_ANNOTATIONS = Pattern.compile("^(?:@[\\w.]+(?:\\s*\\([^()]*\\))?\\s*)*");
    private static final Pattern STRING_REF = Pattern.compile("\"#(\\d+)\"");

    private ConfigMappings() {
    }

    /** Every key of every {@code @ConfigMapping} in the module's {@code src/main/java}. */
    static List<Key> of(String module) throws IOException {
        List<Key> keys = new ArrayList<>();
        Path sources = Rendered.ROOT.resolve(module).resolve("src/main/java");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        for (Path file : files) {
            String text = Files.readString(file);
            if (text.contains("@ConfigMapping")) {
                keys.addAll(read(module, Rendered.ROOT.relativize(file).toString(), text));
            }
        }
        return keys;
    }

    /** The keys of the mapping declared in one source file. */
    static List<Key> read(String module, String where, String source) {
        List<String> strings = new ArrayList<>();
        String code = withoutCommentsAndStrings(source, strings);
        Matcher mapping = MAPPING.matcher(code);
        if (!mapping.find()) {
            throw new IllegalStateException(where + ": no @ConfigMapping(prefix = ...) the reader understands");
        }
        String prefix = annotationValue(mapping.group(1), "prefix", strings)
                .orElseThrow(() -> new IllegalStateException(where + ": @ConfigMapping without a prefix"));
        Matcher top = TOP_TYPE.matcher(code);
        if (!top.find(mapping.end())) {
            throw new IllegalStateException(where + ": no interface after @ConfigMapping");
        }
        Map<String, Type> types = new LinkedHashMap<>();
        Type root = new Reader(code, where, types).type("interface", top.group(1), top.end() - 1);
        List<Key> keys = new ArrayList<>();
        walk(module, where, prefix, root, types, strings, keys, 0);
        return keys;
    }

    /** A type declared in the file: its kind and its member declarations (bodies and nested types taken out). */
    private record Type(String kind, String name, List<String> members, int end) {
    }

    private static final class Reader {
        private final String code;
        private final String where;
        private final Map<String, Type> types;

        Reader(String code, String where, Map<String, Type> types) {
            this.code = code;
            this.where = where;
            this.types = types;
        }

        /** Reads the type whose body opens at {@code open}; registers it and the types nested in it. */
        Type type(String kind, String name, int open) {
            List<String> members = new ArrayList<>();
            StringBuilder segment = new StringBuilder();
            int i = open + 1;
            while (i < code.length()) {
                char c = code.charAt(i);
                if (c == '}') {
                    if (!segment.toString().isBlank()) {
                        members.add(segment.toString().trim());
                    }
                    Type type = new Type(kind, name, members, i);
                    if (types.put(name, type) != null) {
                        throw new IllegalStateException(where + ": two types named " + name + "; the reader resolves types by simple name");
                    }
                    return type;
                }
                if (c == ';') {
                    members.add(segment.toString().trim());
                    segment.setLength(0);
                    i++;
                } else if (c == '{') {
                    Matcher header = TYPE_HEADER.matcher(segment);
                    if (header.matches()) {
                        i = type(header.group(1), header.group(2), i).end() + 1;
                    } else {
                        i = closing(i) + 1; // a method body, an initializer: not configuration
                    }
                    segment.setLength(0);
                } else {
                    segment.append(c);
                    i++;
                }
            }
            throw new IllegalStateException(where + ": unbalanced braces in " + name);
        }

        private int closing(int open) {
            int depth = 0;
            for (int i = open; i < code.length(); i++) {
                if (code.charAt(i) == '{') {
                    depth++;
                } else if (code.charAt(i) == '}' && --depth == 0) {
                    return i;
                }
            }
            throw new IllegalStateException(where + ": unbalanced braces");
        }
    }

    private static void walk(String module, String where, String prefix, Type type, Map<String, Type> types, List<String> strings,
            List<Key> keys, int depth) {
        if (depth > 10) {
            throw new IllegalStateException(where + ": groups nested too deep (a cycle?) at " + prefix);
        }
        for (String member : type.members()) {
            if (member.isEmpty() || LEADING_ANNOTATIONS.matcher(member).replaceFirst("").contains("=")) {
                continue; // constants
            }
            Matcher m = MEMBER.matcher(member);
            if (!m.matches()) {
                throw new IllegalStateException(where + ": cannot read the member '" + member.replaceAll("\\s+", " ") + "' of " + type.name());
            }
            String defaultValue = null;
            String name = kebab(m.group(3));
            boolean parentName = false;
            Matcher a = ANNOTATION.matcher(m.group(1));
            while (a.find()) {
                String annotation = a.group(1).substring(a.group(1).lastIndexOf('.') + 1);
                String args = a.group(2) == null ? "" : a.group(2);
                switch (annotation) {
                    case "WithDefault" -> defaultValue = annotationValue(args, "value", strings).orElse("");
                    case "WithName" -> name = annotationValue(args, "value", strings)
                            .orElseThrow(() -> new IllegalStateException(where + ": @WithName without a name"));
                    case "WithParentName" -> parentName = true;
                    default -> {
                        if (annotation.startsWith("With") && !KNOWN.contains(annotation)) {
                            throw new IllegalStateException(where + ": @" + annotation + " on " + m.group(3)
                                    + ": teach ConfigMappings what it does to the key");
                        }
                    }
                }
            }
            String key = parentName ? prefix : prefix + "." + name;
            TypeRef t = TypeRef.parse(m.group(2));
            if (t.simple().equals("Optional")) {
                t = t.args().get(0);
            }
            if (t.simple().equals("Map")) {
                TypeRef value = t.args().get(1);
                key = key + ".*";
                Optional<Type> group = group(types, value);
                if (group.isPresent()) {
                    walk(module, where, key, group.get(), types, strings, keys, depth + 1);
                } else {
                    keys.add(new Key(module, key, Optional.ofNullable(defaultValue), where));
                }
            } else if (Set.of("List", "Set", "Collection").contains(t.simple()) && group(types, t.args().get(0)).isPresent()) {
                throw new IllegalStateException(where + ": " + key + " is a list of groups (indexed keys): teach ConfigMappings");
            } else if (group(types, t).isPresent()) {
                if (defaultValue != null) {
                    throw new IllegalStateException(where + ": @WithDefault on the group " + key);
                }
                walk(module, where, key, group(types, t).get(), types, strings, keys, depth + 1);
            } else {
                keys.add(new Key(module, key, Optional.ofNullable(defaultValue), where));
            }
        }
    }

    /** The interface declared in the file that this type names, if it is one (a group). */
    private static Optional<Type> group(Map<String, Type> types, TypeRef t) {
        return Optional.ofNullable(types.get(t.simple())).filter(g -> g.kind().equals("interface"));
    }

    /** {@code redisKeyPrefix} as SmallRye's default naming strategy writes it: {@code redis-key-prefix}. */
    static String kebab(String method) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0 && Character.isUpperCase(method.charAt(i - 1))) {
                    throw new IllegalStateException(method + ": consecutive capitals; check how SmallRye names it and teach kebab()");
                }
                if (i > 0) {
                    out.append('-');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** A type as written: {@code Optional<java.util.List<String>>}. */
    record TypeRef(String simple, List<TypeRef> args) {

        static TypeRef parse(String written) {
            String s = written.replaceAll("\\s+", "").replace("[]", "");
            int lt = s.indexOf('<');
            String raw = lt < 0 ? s : s.substring(0, lt);
            List<TypeRef> args = new ArrayList<>();
            if (lt >= 0) {
                String inner = s.substring(lt + 1, s.lastIndexOf('>'));
                int depth = 0;
                int start = 0;
                for (int i = 0; i < inner.length(); i++) {
                    char c = inner.charAt(i);
                    if (c == '<') {
                        depth++;
                    } else if (c == '>') {
                        depth--;
                    } else if (c == ',' && depth == 0) {
                        args.add(parse(inner.substring(start, i)));
                        start = i + 1;
                    }
                }
                args.add(parse(inner.substring(start)));
            }
            return new TypeRef(raw.substring(raw.lastIndexOf('.') + 1), args);
        }
    }

    /** The string value of {@code name = "..."} in annotation arguments, or of a lone {@code "..."} for {@code value}. */
    private static Optional<String> annotationValue(String args, String name, List<String> strings) {
        Matcher named = Pattern.compile("\\b" + name + "\\s*=\\s*\"#(\\d+)\"").matcher(args);
        if (named.find()) {
            return Optional.of(strings.get(Integer.parseInt(named.group(1))));
        }
        Matcher lone = STRING_REF.matcher(args.trim());
        if (name.equals("value") && lone.matches()) {
            return Optional.of(strings.get(Integer.parseInt(lone.group(1))));
        }
        return Optional.empty();
    }

    /**
     * The source without comments, each string literal replaced by {@code "#<index>"} into
     * {@code strings} (unescaped), so braces and parentheses inside strings or comments count for nothing.
     */
    static String withoutCommentsAndStrings(String source, List<String> strings) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? source.length() : end;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? source.length() : end + 2;
                out.append(' ');
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                strings.add(source.substring(source.indexOf('\n', i) + 1, end));
                out.append("\"#").append(strings.size() - 1).append('"');
                i = end + 3;
            } else if (c == '"' || c == '\'') {
                StringBuilder literal = new StringBuilder();
                int j = i + 1;
                while (source.charAt(j) != c) {
                    if (source.charAt(j) == '\\') {
                        char e = source.charAt(++j);
                        literal.append(switch (e) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            default -> e;
                        });
                    } else {
                        literal.append(source.charAt(j));
                    }
                    j++;
                }
                if (c == '"') {
                    strings.add(literal.toString());
                    out.append("\"#").append(strings.size() - 1).append('"');
                } else {
                    out.append("'c'");
                }
                i = j + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
