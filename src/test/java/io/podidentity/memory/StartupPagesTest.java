package io.podidentity.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

class StartupPagesTest {

    /** One mapping as /proc/PID/smaps shows it (fields trimmed to those read, plus neighbours). */
    private static String mapping(String header, long rssKb, long anonymousKb) {
        return header + "\n"
                + "Size:              12288 kB\n"
                + "KernelPageSize:        4 kB\n"
                + "Rss:               " + rssKb + " kB\n"
                + "Pss:               " + rssKb + " kB\n"
                + "Private_Dirty:         0 kB\n"
                + "Anonymous:         " + anonymousKb + " kB\n"
                + "THPeligible:    0\n"
                + "VmFlags: rd mr mw me sd \n";
    }

    @Test
    void keepsTheExecutablesMappingsThatAreNeitherWritableNorCopied() {
        String smaps = mapping("00400000-00405000 r--p 00000000 fe:00 9979966                            /webhook", 20, 0)
                + mapping("00410000-01904000 r-xp 00010000 fe:00 9979966                            /webhook", 18188, 0)
                // written before it was made read-only: its private copies would be lost
                + mapping("01922000-01923000 r--p 01521000 fe:00 9979966                            /webhook", 4, 4)
                + mapping("01923000-01924000 rw-p 01522000 fe:00 9979966                            /webhook", 4, 4)
                + mapping("7f8e91b80000-7f8e92780000 r--p 01540000 fe:00 9979966                    /webhook", 11184, 0)
                + mapping("7f8e92780000-7f8e93409000 rw-p 02140000 fe:00 9979966                    /webhook", 11428, 2000)
                + mapping("7f8e93409000-7f8e93b10000 r--p 02dc9000 fe:00 9979966                    /webhook", 3064, 0)
                + mapping("7f8e9b000000-7f8e9b100000 rw-p 00000000 00:00 0 ", 1024, 1024)
                + mapping("7ff0f7724000-7ff0f787a000 r-xp 00026000 fe:00 123      /usr/lib/x86_64-linux-gnu/libc.so.6", 1240, 0)
                + mapping("7ff0f7900000-7ff0f7901000 r--p 00000000 fe:00 9979967                    /webhook (deleted)", 4, 0);

        List<StartupPages.Range> ranges = StartupPages.droppable(smaps, "/webhook");

        assertEquals(List.of(
                new StartupPages.Range(0x400000L, 0x405000L, 20),
                new StartupPages.Range(0x410000L, 0x1904000L, 18188),
                new StartupPages.Range(0x7f8e91b80000L, 0x7f8e92780000L, 11184),
                new StartupPages.Range(0x7f8e93409000L, 0x7f8e93b10000L, 3064)), ranges);
        assertEquals(0x14f4000L, ranges.get(1).length());
    }

    @Test
    void aMappingWhoseAnonymousLineIsMissingIsNotDropped() {
        String smaps = "00410000-01904000 r-xp 00010000 fe:00 9979966 /webhook\nRss: 100 kB\n"
                + mapping("01910000-01922000 r--p 01510000 fe:00 9979966 /webhook", 64, 0);

        // the first mapping's fields end at the next header: only the second is known to be clean
        assertEquals(List.of(new StartupPages.Range(0x1910000L, 0x1922000L, 64)),
                StartupPages.droppable(smaps, "/webhook"));
    }

    @Test
    void readsTheResidentSetFromStatus() {
        assertEquals(59876, StartupPages.rssKb("Name:\twebhook\nVmHWM:\t   98000 kB\nVmRSS:\t   59876 kB\nThreads:\t12\n"));
        assertEquals(-1, StartupPages.rssKb("Name:\twebhook\n"));
    }

    @Test
    void doesNotApplyOnTheJvm() {
        assertFalse(StartupPages.applies());
    }
}
