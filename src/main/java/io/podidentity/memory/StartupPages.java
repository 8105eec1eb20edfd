package io.podidentity.memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gives the kernel back the native executable's pages that only its startup used.
 *
 * <p>The executable's code and the read-only part of its image heap are mapped from its file. The
 * startup runs through much of both (configuration, the server's and the client's setup, the
 * informer's first list), and the kernel maps each page fault's 64 KB neighbourhood, so that
 * after the startup about 30 MiB of the file are resident: most of the process's memory. An
 * admission uses far less of it. Dropping these pages once the webhook is ready leaves what the
 * admissions fault back in: 51 MiB after the side-by-side's load instead of 60 (bench/RESULTS.md,
 * run 4).
 *
 * <p>Only what the file can give back is dropped ({@code MADV_DONTNEED}): the executable's mappings
 * that are not writable and hold no private copy of a page ({@code Anonymous: 0 kB} in
 * {@code /proc/self/smaps}). For those, a dropped page is the file's own page, found again in the
 * page cache at the next access; nothing is lost, nothing is written to swap. On the JVM the
 * executable is {@code java}, whose memory this is not about: {@link #applies()} is false there.
 */
public final class StartupPages {

    /** One mapping that may be dropped: {@code [start, end)}, and what of it is resident. */
    record Range(long start, long end, long residentKb) {

        long length() {
            return end - start;
        }
    }

    /** What {@link #release()} did. */
    public record Released(int mappings, long residentKb, long rssBeforeKb, long rssAfterKb) {}

    /** A mapping's first line: {@code start-end perms offset dev inode [path]}. */
    private static final Pattern HEADER =
            Pattern.compile("([0-9a-f]+)-([0-9a-f]+)\\s+(\\S{4})\\s+\\S+\\s+\\S+\\s+\\S+\\s*(.*?)\\s*");

    private StartupPages() {}

    /** True in the native executable on Linux (GraalVM sets this property there, at build time). */
    public static boolean applies() {
        return "runtime".equals(System.getProperty("org.graalvm.nativeimage.imagecode"))
                && Files.isReadable(Path.of("/proc/self/smaps"));
    }

    /**
     * Drops the executable's file-backed, never-written pages.
     *
     * @throws IOException if {@code /proc/self} cannot be read
     * @throws IllegalStateException if the kernel refuses the advice
     */
    public static Released release() throws IOException {
        String executable = Path.of("/proc/self/exe").toRealPath().toString();
        long before = rssKb(Files.readString(Path.of("/proc/self/status")));
        List<Range> ranges = droppable(Files.readString(Path.of("/proc/self/smaps")), executable);
        long resident = 0;
        for (Range range : ranges) {
            int result = Kernel.madvise(range.start(), range.length(), Kernel.MADV_DONTNEED);
            if (result != 0) {
                throw new IllegalStateException(String.format("madvise(0x%x, %d, MADV_DONTNEED) returned %d",
                        range.start(), range.length(), result));
            }
            resident += range.residentKb();
        }
        long after = rssKb(Files.readString(Path.of("/proc/self/status")));
        return new Released(ranges.size(), resident, before, after);
    }

    /**
     * The mappings of {@code executable} in {@code smaps} (the format of {@code /proc/PID/smaps})
     * that are not writable and have no anonymous (copied-on-write) page.
     */
    static List<Range> droppable(String smaps, String executable) {
        List<Range> ranges = new ArrayList<>();
        Range candidate = null;
        long resident = 0;
        for (String line : smaps.split("\n")) {
            Matcher header = HEADER.matcher(line);
            if (header.matches()) {
                boolean ours = header.group(4).equals(executable);
                boolean writable = header.group(3).charAt(1) == 'w';
                candidate = ours && !writable
                        ? new Range(Long.parseUnsignedLong(header.group(1), 16), Long.parseUnsignedLong(header.group(2), 16), 0)
                        : null;
                resident = 0;
            } else if (candidate != null && line.startsWith("Rss:")) {
                resident = kb(line);
            } else if (candidate != null && line.startsWith("Anonymous:")) {
                if (kb(line) == 0) {
                    ranges.add(new Range(candidate.start(), candidate.end(), resident));
                }
                candidate = null;
            }
        }
        return ranges;
    }

    /** The value of a {@code Name:   123 kB} line. */
    private static long kb(String line) {
        String[] fields = line.trim().split("\\s+");
        return Long.parseLong(fields[1]);
    }

    static long rssKb(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return kb(line);
            }
        }
        return -1;
    }

    /**
     * libc's {@code madvise}, called directly: only ever reached in the native executable
     * ({@link #applies()}), where GraalVM links the call at build time.
     */
    static final class Kernel {

        static final int MADV_DONTNEED = 4;

        private Kernel() {}

        @org.graalvm.nativeimage.c.function.CFunction("madvise")
        static native int madvise(long address, long length, int advice);
    }
}
