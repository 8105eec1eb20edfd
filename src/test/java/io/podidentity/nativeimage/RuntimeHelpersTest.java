package io.podidentity.nativeimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The C runtime helpers the native executable links (native/runtime: CPU features, signals,
 * cgroup limits, locale, time zone, the JVM_* entry points of the JDK's libraries), compiled with
 * warnings as errors and checked against this machine by native/runtime/test_runtime.c.
 */
class RuntimeHelpersTest {

    @Test
    void compileWithoutWarningsAndAgreeWithThisMachine() throws IOException, InterruptedException {
        assumeTrue("amd64".equals(System.getProperty("os.arch")), "the helpers cover amd64");
        Path sources = Path.of(System.getProperty("user.home"),
                ".m2/repository/org/graalvm/nativeimage/svm/25.0.4/svm-25.0.4-sources.jar");
        assumeTrue(Files.isRegularFile(sources), "the builder's sources jar comes with the native check: " + sources);
        Process test = new ProcessBuilder("bash", "native/runtime/test.sh", sources.toString())
                .redirectErrorStream(true).start();
        String output = new String(test.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!test.waitFor(2, TimeUnit.MINUTES)) {
            test.destroyForcibly();
        }
        assertEquals(0, test.exitValue(), output);
    }
}
