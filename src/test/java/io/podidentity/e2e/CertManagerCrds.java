package io.podidentity.e2e;

import java.nio.file.Path;
import java.time.Duration;

/** cert-manager's CustomResourceDefinitions from {@code e2e/certmanager/crds.sh}, installed into the control plane. */
final class CertManagerCrds {

    static final Path SCRIPTS = Path.of("e2e", "certmanager").toAbsolutePath();

    private CertManagerCrds() {
    }

    /** Applies the CRDs (idempotent) and returns once kubectl can use their kinds. */
    static void install(ControlPlane controlPlane) {
        String output = Processes.run(Duration.ofMinutes(5), null, SCRIPTS.resolve("crds.sh").toString())
                .requireSuccess("fetch cert-manager's CRDs").stdout().strip();
        String crds = output.substring(output.lastIndexOf('\n') + 1).strip();
        controlPlane.kubectl("apply", "--server-side", "--force-conflicts", "-f", crds)
                .requireSuccess("install cert-manager's CRDs");
        // `kubectl wait` fails instead of waiting while a new CRD has no status yet, and kubectl's
        // discovery cache may predate the CRDs: retry until both agree the kinds are served.
        Poll.until(Duration.ofSeconds(60), "cert-manager's CRDs to be established and discovered",
                () -> controlPlane.kubectl("wait", "--for=condition=Established", "--timeout=10s",
                        "crd/certificates.cert-manager.io", "crd/issuers.cert-manager.io",
                        "crd/clusterissuers.cert-manager.io", "crd/certificaterequests.cert-manager.io")
                        .exitCode() == 0
                        && controlPlane.kubectl("get", "issuers.cert-manager.io", "-A").exitCode() == 0);
    }
}
