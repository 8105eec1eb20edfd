package io.podidentity.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs the control-plane scripts and kubectl, capturing their output in files, never pipes that can fill up. */
final class Processes {

    /** What a finished command left behind. */
    record Result(String command, int exitCode, String stdout, String stderr) {

        /** Returns this result, or fails naming the step and showing what the command printed. */
        Result requireSuccess(String step) {
            if (exitCode != 0) {
                throw new IllegalStateException("could not " + step + ": `" + command + "` exited " + exitCode
                        + "\n--- stderr ---\n" + stderr + "\n--- stdout ---\n" + stdout);
            }
            return this;
        }
    }

    private Processes() {
    }

    static Result run(Duration timeout, Map<String, String> extraEnv, String... command) {
        String printable = String.join(" ", command);
        try {
            Path out = Files.createTempFile("e2e-", ".out");
            Path err = Files.createTempFile("e2e-", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile());
                if (extraEnv != null) {
                    builder.environment().putAll(extraEnv);
                }
                Process process = builder.start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    throw new IllegalStateException("`" + printable + "` did not finish within " + timeout
                            + "\n--- stderr ---\n" + Files.readString(err));
                }
                return new Result(printable, process.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run `" + printable + "`", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running `" + printable + "`", e);
        }
    }

    /** The last {@code lines} lines of a log file, or a note that it does not exist. */
    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(" + file + " unreadable: " + e.getMessage() + ")";
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
