package io.podidentity.cli;

import io.podidentity.oidc.Thumbprint;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code oidc thumbprint}: what IAM's {@code thumbprint_list} wants, the SHA-1 of the top
 * (last) certificate the issuer's host presents.
 */
@RegisterForReflection
@Command(name = "thumbprint", sortOptions = false,
        description = "Print the lowercase hex SHA-1 of the top certificate the host of URL presents, "
                + "with its subject and expiry. The first line is the thumbprint alone.")
final class ThumbprintCommand extends CliCommand {

    @Parameters(paramLabel = "URL", description = "The issuer URL, or host[:port] (port 443 by default).")
    String url;

    @Option(names = "--ca", paramLabel = "FILE",
            description = "Trust only the CA certificates in this PEM file instead of the JVM's (private CAs).")
    Path ca;

    private String host;
    private int port;

    @Override
    void validate() {
        String withScheme = url.contains("://") ? url : "https://" + url;
        try {
            URI uri = new URI(withScheme);
            if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new UsageException("\"" + url + "\" is not an https:// URL or host[:port]");
            }
            host = uri.getHost();
            port = uri.getPort() < 0 ? 443 : uri.getPort();
        } catch (URISyntaxException e) {
            throw new UsageException("\"" + url + "\" is not a URL: " + e.getReason());
        }
    }

    @Override
    int run() {
        List<X509Certificate> chain = Https.trusting(ca).presentedChain(host, port);
        X509Certificate top = chain.get(chain.size() - 1);
        out().println(Thumbprint.of(top));
        out().println("  subject: " + top.getSubjectX500Principal().getName());
        out().println("  expires: " + top.getNotAfter().toInstant());
        out().println("  (certificate " + chain.size() + " of " + chain.size() + " presented by " + host + ":" + port + ")");
        return 0;
    }
}
