package io.podidentity.mutation;

import java.util.ArrayDeque;
import java.util.Deque;

/** Slash-separated path handling with the semantics of Go's {@code path.Clean}. */
final class Paths {

    private Paths() {}

    static String clean(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean rooted = path.startsWith("/");
        Deque<String> parts = new ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty() && !parts.peekLast().equals("..")) {
                    parts.removeLast();
                } else if (!rooted) {
                    parts.addLast("..");
                }
                continue;
            }
            parts.addLast(part);
        }
        String joined = String.join("/", parts);
        if (rooted) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }

    /** {@code C:} plus the path with every {@code /} turned into {@code \}, as upstream does for Windows pods. */
    static String windows(String path) {
        return "C:" + path.replace('/', '\\');
    }
}
