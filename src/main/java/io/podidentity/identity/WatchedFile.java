package io.podidentity.identity;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Delivers a file's content whenever it changes, including when kubelet swaps the {@code ..data}
 * symlink of a mounted ConfigMap or Secret (the file itself is never written then: its directory
 * changes). Watches the parent directory and, as a safety net, polls the file's attributes.
 * A missing file is delivered as {@code null}. A consumer that throws keeps the previous state;
 * the error is logged with the file's name.
 */
public final class WatchedFile implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WatchedFile.class);
    private static final long SETTLE_MILLIS = 100;

    private final String description;
    private final Path file;
    private final Consumer<byte[]> consumer;
    private final Duration pollInterval;
    private volatile boolean closed;
    private WatchService watchService;
    private Thread thread;
    private byte[] lastContent;
    private Object lastStamp;

    public WatchedFile(String description, Path file, Consumer<byte[]> consumer, Duration pollInterval) {
        this.description = description;
        this.file = file.toAbsolutePath();
        this.consumer = consumer;
        this.pollInterval = pollInterval;
    }

    /**
     * Loads the file once, synchronously, then watches it in the background. Content the consumer
     * rejects is logged, like any later rejected change; the server keeps running.
     */
    public WatchedFile start() {
        byte[] content = read();
        lastStamp = stamp();
        lastContent = content;
        try {
            consumer.accept(content);
        } catch (IllegalArgumentException e) {
            LOG.errorf("%s %s: rejected, starting without it: %s", description, file, e.getMessage());
        }
        try {
            watchService = FileSystems.getDefault().newWatchService();
            Path dir = file.getParent();
            if (dir != null && Files.isDirectory(dir)) {
                dir.register(watchService, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
        } catch (IOException e) {
            LOG.warnf("%s %s: cannot watch the directory (%s); polling every %d ms instead",
                    description, file, e.getMessage(), pollInterval.toMillis());
        }
        thread = new Thread(this::loop, "watch-" + file.getFileName());
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void loop() {
        while (!closed) {
            try {
                boolean event = false;
                if (watchService != null) {
                    WatchKey key = watchService.poll(pollInterval.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (key != null) {
                        event = !key.pollEvents().isEmpty();
                        key.reset();
                        // Coalesce a burst (truncate, write, rename...) so a half-written file is not read.
                        for (WatchKey more; (more = watchService.poll(SETTLE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)) != null; ) {
                            more.pollEvents();
                            more.reset();
                        }
                    }
                } else {
                    Thread.sleep(pollInterval.toMillis());
                }
                check(event);
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s %s: watching failed", description, file);
            }
        }
    }

    /** On a directory event, compare contents; otherwise only when the attributes changed. */
    private void check(boolean directoryEvent) {
        Object stamp = stamp();
        if (!directoryEvent && Objects.equals(stamp, lastStamp)) {
            return;
        }
        lastStamp = stamp;
        byte[] content = read();
        if (Arrays.equals(content, lastContent)) {
            return;
        }
        try {
            consumer.accept(content);
            lastContent = content;
            LOG.infof("%s %s: reloaded", description, file);
        } catch (IllegalArgumentException e) {
            lastContent = content;
            LOG.errorf("%s %s: rejected, keeping the previous content: %s", description, file, e.getMessage());
        }
    }

    private Object stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return Arrays.asList(a.lastModifiedTime(), a.size(), a.fileKey());
        } catch (IOException e) {
            return null;
        }
    }

    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.warnf("%s %s: cannot be read: %s", description, file, e.getMessage());
            return lastContent;
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (watchService != null) {
                watchService.close();
            }
        } catch (IOException e) {
            LOG.debugf("closing the watch of %s: %s", file, e.getMessage());
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
