package io.podidentity.cli;

import io.podidentity.oidc.Discovery;
import io.podidentity.oidc.Issuer;
import io.podidentity.oidc.Jwk;
import io.podidentity.oidc.Jwks;
import io.podidentity.oidc.PemPublicKeys;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code oidc discovery}: the two files an issuer serves, ready to upload to a static HTTPS host. */
@RegisterForReflection
@Command(name = "discovery", sortOptions = false,
        description = "Write DIR/.well-known/openid-configuration and the JWKS for the issuer, from PEM keys or "
                + "from the cluster's own JWKS.")
final class DiscoveryCommand extends CliCommand {

    @Option(names = "--issuer", required = true, paramLabel = "URL",
            description = "The issuer: exactly kube-apiserver's --service-account-issuer (https://).")
    String issuer;

    @Option(names = "--public-key", paramLabel = "FILE",
            description = "PEM public key, certificate, or private key (PKCS#8/PKCS#1) whose public half is used; "
                    + "repeat for rotation. RSA only.")
    List<Path> publicKeys = new ArrayList<>();

    @Option(names = "--kubeconfig", paramLabel = "PATH", description = "Read the keys from the cluster instead.")
    Path kubeconfig;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write into.")
    Path out;

    @Option(names = "--jwks-path", paramLabel = "PATH", defaultValue = "openid/v1/jwks",
            description = "Where the JWKS goes, under DIR and under the issuer (default: ${DEFAULT-VALUE}).")
    String jwksPath;

    @Override
    void validate() {
        Issuer.parse(issuer);
        if (publicKeys.isEmpty() == (kubeconfig == null)) {
            throw new UsageException("give either --public-key FILE (one or more) or --kubeconfig PATH");
        }
        jwksPath = jwksPath.replaceAll("^/+", "");
        if (jwksPath.isEmpty() || List.of(jwksPath.split("/")).contains("..")) {
            throw new UsageException("--jwks-path \"" + jwksPath + "\" must be a relative path without ..");
        }
        for (Path file : publicKeys) {
            if (!Files.isRegularFile(file)) {
                throw new UsageException("--public-key " + file + ": file does not exist");
            }
        }
        if (kubeconfig != null && !Files.isRegularFile(kubeconfig)) {
            throw new UsageException("--kubeconfig " + kubeconfig + ": file does not exist");
        }
    }

    @Override
    int run() throws Exception {
        Jwks jwks = publicKeys.isEmpty() ? fromCluster() : fromFiles();
        Discovery discovery = Discovery.forIssuer(issuer, jwksPath);
        Path discoveryFile = write(out.resolve(Discovery.PATH), discovery.toJson());
        Path jwksFile = write(out.resolve(jwksPath), jwks.toJson());
        out().println("wrote " + discoveryFile + " (issuer " + discovery.issuer() + ")");
        out().println("wrote " + jwksFile + " (" + jwks.keys().size() + (jwks.keys().size() == 1 ? " key: " : " keys: ")
                + String.join(", ", jwks.kids()) + ")");
        out().println("upload " + out + " so that " + Discovery.urlOf(issuer) + " and " + discovery.jwksUri()
                + " serve these files");
        return 0;
    }

    private Jwks fromFiles() {
        List<Jwk> keys = new ArrayList<>();
        for (Path file : publicKeys) {
            for (var key : PemPublicKeys.read(file)) {
                try {
                    keys.add(Jwk.of(key));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ": " + e.getMessage());
                }
            }
        }
        return new Jwks(keys);
    }

    private Jwks fromCluster() {
        PublishedOidc cluster = PublishedOidc.ofCluster(kubeconfig);
        if (!cluster.discovery().issuer().equals(issuer)) {
            err().println("warning: the cluster's tokens carry issuer \"" + cluster.discovery().issuer()
                    + "\", not \"" + issuer + "\"; STS will refuse them until --service-account-issuer matches");
        }
        return cluster.jwks();
    }

    private static Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }
}
