package io.podidentity.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version printed by {@code --version}, written into {@code webhook-version.properties} by the build. */
public final class Version {

    private Version() {}

    public static String current() {
        Properties properties = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/webhook-version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // fall through to the unknown version
        }
        return "pod-identity-webhook " + properties.getProperty("version", "(unknown version)");
    }
}
