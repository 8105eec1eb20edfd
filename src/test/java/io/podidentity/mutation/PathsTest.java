package io.podidentity.mutation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Paths are cleaned like Go's {@code path.Clean} and converted for Windows like upstream. */
class PathsTest {

    static Stream<Arguments> cleanCases() {
        return Stream.of(
                argumentSet("an empty path is the current directory", "", "."),
                argumentSet("the root stays the root", "/", "/"),
                argumentSet("a clean absolute path is unchanged", "/var/run/token", "/var/run/token"),
                argumentSet("a trailing slash is removed", "/a/b/", "/a/b"),
                argumentSet("a trailing slash before the joined name disappears", "/a/b//token", "/a/b/token"),
                argumentSet("repeated slashes become one", "//a///b", "/a/b"),
                argumentSet("single dots are removed", "/a/./b/.", "/a/b"),
                argumentSet("a double dot removes the element before it", "/a/b/../c", "/a/c"),
                argumentSet("a double dot at the root stays at the root", "/../a", "/a"),
                argumentSet("double dots alone at the root give the root", "/../..", "/"),
                argumentSet("leading double dots of a relative path are kept", "../../a", "../../a"),
                argumentSet("a relative path climbing above its start keeps one double dot", "a/../..", ".."),
                argumentSet("a relative path that cancels out is the current directory", "a/..", "."),
                argumentSet("a lone dot with a slash is the current directory", "./", "."),
                argumentSet("a relative path is cleaned without becoming absolute", "a//b/./c/", "a/b/c"));
    }

    @ParameterizedTest(name = "{argumentSetName}")
    @MethodSource("cleanCases")
    void cleansLikeGo(String path, String cleaned) {
        assertEquals(cleaned, Paths.clean(path));
    }

    static Stream<Arguments> windowsCases() {
        return Stream.of(
                argumentSet("the default token file gets a drive and backslashes",
                        "/var/run/secrets/eks.amazonaws.com/serviceaccount/token",
                        "C:\\var\\run\\secrets\\eks.amazonaws.com\\serviceaccount\\token"),
                argumentSet("the container-credentials token file too",
                        "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token",
                        "C:\\var\\run\\secrets\\pods.eks.amazonaws.com\\serviceaccount\\eks-pod-identity-token"),
                argumentSet("the root becomes the drive root", "/", "C:\\"));
    }

    @ParameterizedTest(name = "{argumentSetName}")
    @MethodSource("windowsCases")
    void convertsForWindows(String path, String windowsPath) {
        assertEquals(windowsPath, Paths.windows(path));
    }

    static Stream<Arguments> tokenFiles() {
        return Stream.of(
                argumentSet("mount path and token name are joined", "/var/run/x", "token", "/var/run/x/token"),
                argumentSet("a trailing slash on the mount path is absorbed", "/a/b/", "token", "/a/b/token"),
                argumentSet("dots in the mount path are resolved", "/a/./b/../c", "token", "/a/c/token"));
    }

    @ParameterizedTest(name = "{argumentSetName}")
    @MethodSource("tokenFiles")
    void joinsTokenFile(String mountPath, String tokenPath, String tokenFile) {
        assertEquals(tokenFile, new TokenMount("v", mountPath, tokenPath).tokenFile());
    }
}
