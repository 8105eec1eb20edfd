//go:build ignore

// Command webhook runs cert-manager's admission webhook (validation, defaulting and the
// CertificateRequest identity and approval checks) with a serving certificate it issues itself
// from a CA kept in a Secret, as cert-manager's own webhook does by default. Test use only.
//
// Its plugins live in cert-manager's internal/ packages, which only code inside that module may
// import, so build.sh compiles this file from a scratch copy of the module (the build tag keeps
// it out of this directory's own module).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/cert-manager/cert-manager/internal/apis/config/shared"
	config "github.com/cert-manager/cert-manager/internal/apis/config/webhook"
	"github.com/cert-manager/cert-manager/internal/webhook"
	logf "github.com/cert-manager/cert-manager/pkg/logs"
)

func main() {
	// controller-runtime, imported below, registers --kubeconfig on the global flag set.
	flags := flag.NewFlagSet("webhook", flag.ExitOnError)
	kubeconfig := flags.String("kubeconfig", "", "kubeconfig of the API server (default: in-cluster)")
	securePort := flags.Int("secure-port", 10250, "HTTPS port the API server calls")
	healthzPort := flags.Int("healthz-port", 6080, "plain-HTTP port of /livez and /healthz")
	caNamespace := flags.String("dynamic-serving-ca-secret-namespace", "cert-manager", "namespace of the CA Secret")
	caName := flags.String("dynamic-serving-ca-secret-name", "cert-manager-webhook-ca", "name of the CA Secret")
	dnsNames := flags.String("dynamic-serving-dns-names", "", "comma-separated DNS names of the serving certificate")
	_ = flags.Parse(os.Args[1:])

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	log := logf.Log.WithName("webhook")
	server, err := webhook.NewCertManagerWebhookServer(log, config.WebhookConfiguration{
		SecurePort:           int32(*securePort),
		HealthzPort:          int32(*healthzPort),
		KubeConfig:           *kubeconfig,
		MetricsListenAddress: "0",
		TLSConfig: shared.TLSConfig{Dynamic: shared.DynamicServingConfig{
			SecretNamespace: *caNamespace,
			SecretName:      *caName,
			DNSNames:        strings.Split(*dnsNames, ","),
			LeafDuration:    7 * 24 * time.Hour,
		}},
	})
	if err == nil {
		fmt.Fprintln(os.Stderr, "cert-manager webhook: running on port", *securePort)
		err = server.Run(logf.NewContext(ctx, log))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cert-manager webhook:", err)
		os.Exit(1)
	}
}
