package io.podidentity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The main code's packages form no cycle: each is named by a domain concept, and a package that
 * needs another's classes is never needed back. The entry point ({@link Main}, in the root
 * package) dispatches to {@code server} and {@code cli} and nothing depends on it.
 */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src/main/java/io/podidentity");
    /** {@code io.podidentity.x.} in an import or a fully qualified name, not in a comment. */
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.podidentity\\.([a-z]+)\\.");

    @Test
    void noPackageDependsOnAnotherThatDependsOnItBackDirectlyOrThroughOthers() {
        Map<String, Set<String>> uses = dependencies();
        assertTrue(uses.size() > 5, "the sources were read: " + uses.keySet());
        for (String from : uses.keySet()) {
            List<String> cycle = pathBack(from, from, uses, new TreeSet<>());
            assertEquals(List.of(), cycle, "package cycle: " + from + " -> " + String.join(" -> ", cycle));
        }
    }

    @Test
    void nothingDependsOnTheEntryPoint() {
        dependencies().forEach((from, to) -> assertTrue(!to.contains(""), from + " uses the root package (Main)"));
    }

    /** Package (the root package as "") to the packages its main code names. */
    private static Map<String, Set<String>> dependencies() {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(file -> {
                Path relative = SOURCES.relativize(file.getParent() == null ? file : file.getParent());
                String from = relative.toString().replace('/', '.');
                Set<String> to = uses.computeIfAbsent(from, k -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(withoutComments(read(file)));
                while (m.find()) {
                    if (!m.group(1).equals(from)) {
                        to.add(m.group(1));
                    }
                }
                if (read(file).contains("import io.podidentity.Main;")) {
                    to.add("");
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return uses;
    }

    /** The packages leading from {@code at} back to {@code target}, or an empty list. */
    private static List<String> pathBack(String target, String at, Map<String, Set<String>> uses, Set<String> seen) {
        for (String next : uses.getOrDefault(at, Set.of())) {
            if (next.equals(target)) {
                return List.of(next);
            }
            if (seen.add(next)) {
                List<String> rest = pathBack(target, next, uses, seen);
                if (!rest.isEmpty()) {
                    List<String> path = new ArrayList<>(List.of(next));
                    path.addAll(rest);
                    return path;
                }
            }
        }
        return List.of();
    }

    private static String withoutComments(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
