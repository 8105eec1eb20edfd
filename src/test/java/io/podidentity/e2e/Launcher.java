package io.podidentity.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * How the e2e tests start the webhook process: the packaged jar on this JVM, or, with
 * {@code -Dwebhook.executable=PATH}, the native executable that {@code native/native-check.sh
 * --link} wrote. Both take the same command line; system properties are {@code -D} arguments
 * before the webhook's own flags in either.
 */
final class Launcher {

    static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
    private static final String EXECUTABLE = System.getProperty("webhook.executable", "");

    private Launcher() {}

    /** True when the tests run the native executable. */
    static boolean isNative() {
        return !EXECUTABLE.isBlank();
    }

    /** What is under test, for messages. */
    static Path artifact() {
        return isNative() ? Path.of(EXECUTABLE).toAbsolutePath() : JAR;
    }

    /** The command that starts the webhook, up to its flags, with these system properties. */
    static List<String> command(String... systemProperties) {
        return command(artifact(), systemProperties);
    }

    /**
     * The same command on a copy in a new directory every user can read, for a test that runs the
     * webhook as another user: a clone's own directories may be private (mktemp makes them 0700).
     */
    static List<String> commandForAnyUser() throws IOException {
        Path dir = directoryForAnyUser();
        Path source = isNative() ? artifact() : JAR.getParent();
        Path target = dir.resolve(source.getFileName());
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path copy = target.resolve(source.relativize(file).toString());
                Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString(
                        Files.isDirectory(file) ? "rwxr-xr-x" : Files.isExecutable(file) ? "r-xr-xr-x" : "r--r--r--"));
            }
        }
        return command(isNative() ? target : target.resolve(JAR.getFileName()));
    }

    /** A new directory every user can read. */
    static Path directoryForAnyUser() throws IOException {
        return Files.createTempDirectory("webhook-any-user-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    private static List<String> command(Path artifact, String... systemProperties) {
        if (!Files.isRegularFile(artifact)) {
            throw new IllegalStateException(artifact + " is missing: " + (isNative()
                    ? "build it with native/native-check.sh --link"
                    : "the e2e tests run after `package` (mvn verify -Pe2e)"));
        }
        List<String> command = new ArrayList<>();
        if (!isNative()) {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        }
        for (String property : systemProperties) {
            command.add("-D" + property);
        }
        if (isNative()) {
            command.add(0, artifact.toString());
        } else {
            command.addAll(List.of("-jar", artifact.toString()));
        }
        return command;
    }
}
