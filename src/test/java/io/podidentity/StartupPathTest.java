package io.podidentity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podidentity.config.UpstreamFlags;
import io.podidentity.config.WebhookConfig;
import io.podidentity.server.QuarkusProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Startup is one visible path: the settings reach the application as values, never through
 * system properties or static fields. Only {@link Main} sets system properties, and only
 * Quarkus's own ({@link QuarkusProperties}); the main code has no static field that can change, and
 * one static holder, for the early ServiceAccount list.
 */
class StartupPathTest {

    private static final Path SOURCES = Path.of("src/main/java/io/podidentity");
    private static final Pattern SET_PROPERTY = Pattern.compile("System\\s*(\\.|::)\\s*setProperty");
    /** A static field without {@code final}: {@code static volatile Foo bar;}, {@code static int n = 1;}. */
    private static final Pattern MUTABLE_STATIC = Pattern.compile(
            "^\\s*(?:(?:private|public|protected|volatile|transient)\\s+)*static\\s+(?!final\\b|class\\b|interface\\b"
                    + "|enum\\b|record\\b|void\\b|<)(?:(?:volatile|transient)\\s+)*[\\w.<>\\[\\], ?]+\\s+\\w+\\s*(=|;)",
            Pattern.MULTILINE);

    @Test
    void onlyMainSetsSystemPropertiesAndOnlyQuarkusOwn() {
        List<Path> setters = sources().filter(file -> SET_PROPERTY.matcher(read(file)).find()).toList();
        assertEquals(List.of(SOURCES.resolve("Main.java")), setters);
        assertTrue(read(SOURCES.resolve("Main.java")).contains("QuarkusProperties.of(config).forEach(System::setProperty)"));
        WebhookConfig config = WebhookConfig.resolve(UpstreamFlags.parse(new String[] {"-v=4", "--log-format=json",
                "--tls-cipher-suites=TLS_AES_128_GCM_SHA256"}).properties(), flag -> Optional.empty());
        QuarkusProperties.of(config).keySet()
                .forEach(key -> assertTrue(key.startsWith("quarkus."), "not a Quarkus property: " + key));
    }

    @Test
    void theMainCodeHasNoStaticFieldThatCanChange() {
        List<String> mutable = sources().flatMap(file -> MUTABLE_STATIC.matcher(read(file)).results()
                .map(match -> SOURCES.relativize(file) + ": " + match.group().strip())).toList();
        assertEquals(List.of(), mutable);
    }

    /**
     * One object crosses from the entry point into the server: the early ServiceAccount list, which
     * {@link Main} starts before Quarkus exists (identity.ServiceAccountPrefetch). Quarkus's command
     * line carries strings only, so it waits in one static holder until the one bean that takes it;
     * no other holder may appear.
     */
    @Test
    void theOnlyStaticHolderIsTheEarlyListsHandoff() {
        Pattern holder = Pattern.compile("static\\s+final\\s+Atomic\\w+(<[^>]*>)?\\s+\\w+");
        List<String> holders = sources().flatMap(file -> holder.matcher(read(file)).results()
                .map(match -> SOURCES.relativize(file) + ": " + match.group())).toList();
        assertEquals(List.of("server/IdentitySources.java: static final AtomicReference<ServiceAccountPrefetch> PREFETCH"),
                holders);
        String sources = read(SOURCES.resolve("server/IdentitySources.java"));
        assertTrue(sources.contains("PREFETCH.getAndSet(null)"), "taken once");
    }

    @Test
    void thePatternFindsAMutableStaticField() {
        assertTrue(MUTABLE_STATIC.matcher("    private static volatile Set<String> cache;").find());
        assertTrue(MUTABLE_STATIC.matcher("    static int count = 0;").find());
        assertTrue(!MUTABLE_STATIC.matcher("    private static final int COUNT = 0;").find());
        assertTrue(!MUTABLE_STATIC.matcher("    static String describe(X509Certificate leaf) {").find());
    }

    private static Stream<Path> sources() {
        try {
            return Files.walk(SOURCES).filter(file -> file.toString().endsWith(".java")).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
