package io.podidentity.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podidentity.testing.Waiting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloading a file on change, including kubelet's atomic {@code ..data} symlink swap (SPEC §1.4). */
class WatchedFileTest {

    private static final Duration POLL = Duration.ofMillis(200);

    @TempDir
    Path dir;

    /** What the consumer accepted last; starts as a marker so "delivered null" is visible. */
    private volatile String state = "<nothing delivered>";
    /** Every content offered to the consumer, accepted or not. */
    private final List<String> offered = new CopyOnWriteArrayList<>();
    private WatchedFile watched;

    @AfterEach
    void stopWatching() {
        if (watched != null) {
            watched.close();
        }
    }

    private static String text(byte[] content) {
        return content == null ? null : new String(content, StandardCharsets.UTF_8);
    }

    /** Accepts anything but content starting with "bad", which it rejects as a parser would. */
    private final Consumer<byte[]> consumer = content -> {
        String text = text(content);
        offered.add(String.valueOf(text));
        if (text != null && text.startsWith("bad")) {
            throw new IllegalArgumentException("not valid: " + text);
        }
        state = text;
    };

    private WatchedFile watch(Path file) {
        watched = new WatchedFile("test file", file, consumer, POLL).start();
        return watched;
    }

    private static void write(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    @Test
    void deliversContentSynchronouslyAtStart() throws Exception {
        Path file = dir.resolve("config.json");
        write(file, "one");

        watch(file);

        assertEquals("one", state);
    }

    @Test
    void deliversMissingFileAsNullAtStart() {
        watch(dir.resolve("absent.json"));

        assertNull(state);
    }

    @Test
    void rejectionAtStartIsLoggedAndLaterValidContentIsDelivered() throws Exception {
        Path file = dir.resolve("config.json");
        write(file, "bad from the start");

        watch(file);

        assertTrue(offered.contains("bad from the start"), "the content was offered");
        write(file, "good after all");
        Waiting.until("the next valid content", () -> "good after all".equals(state));
    }

    @Test
    void deliversRewrite() throws Exception {
        Path file = dir.resolve("config.json");
        write(file, "one");
        watch(file);

        write(file, "two, a little longer");

        Waiting.until("the rewritten content", () -> "two, a little longer".equals(state));
    }

    @Test
    void deliversDeletionAsNullAndLaterCreation() throws Exception {
        Path file = dir.resolve("config.json");
        write(file, "one");
        watch(file);

        Files.delete(file);
        Waiting.until("null after deletion", () -> state == null);

        write(file, "back");
        Waiting.until("the re-created content", () -> "back".equals(state));
    }

    @Test
    void rejectedContentKeepsPreviousStateAndLaterValidContentIsDelivered() throws Exception {
        Path file = dir.resolve("config.json");
        write(file, "good one");
        watch(file);

        write(file, "bad content");
        Waiting.until("the bad content offered to the consumer", () -> offered.contains("bad content"));
        assertEquals("good one", state, "a rejected reload keeps the previous state");

        write(file, "good two");
        Waiting.until("the next valid content", () -> "good two".equals(state));
    }

    @Test
    void deliversKubeletSymlinkSwap() throws Exception {
        // The layout kubelet gives a ConfigMap or Secret volume.
        Path first = Files.createDirectory(dir.resolve("..2026_01"));
        write(first.resolve("config.json"), "{\"version\": 1}");
        Files.createSymbolicLink(dir.resolve("..data"), Path.of("..2026_01"));
        Path file = Files.createSymbolicLink(dir.resolve("config.json"), Path.of("..data/config.json"));
        watch(file);
        assertEquals("{\"version\": 1}", state);

        // kubelet's update: a new timestamped directory, then an atomic rename over ..data.
        Path second = Files.createDirectory(dir.resolve("..2026_02"));
        write(second.resolve("config.json"), "{\"version\": 2}");
        Path tmp = Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of("..2026_02"));
        Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        Waiting.until("the content behind the swapped ..data link", () -> "{\"version\": 2}".equals(state));
        assertTrue(Files.isSymbolicLink(file), "the watched path itself never changed");
    }

    @Test
    void stopsDeliveringAfterClose() throws Exception {
        Path file = dir.resolve("config.json");
        write(file, "one");
        watch(file).close();

        write(file, "two");
        Thread.sleep(3 * POLL.toMillis());

        assertEquals("one", state);
    }
}
