// Command cainjector copies CA certificates into objects annotated with
// cert-manager.io/inject-ca-from (webhook configurations, CRDs, API services) on the API server
// of --kubeconfig, using cert-manager's injector library. Test use only.
package main

import (
	"flag"
	"fmt"
	"os"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime"
	corev1 "k8s.io/api/core/v1"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/klog/v2"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"github.com/cert-manager/cert-manager/pkg/controller/cainjector"
	ctrl "sigs.k8s.io/controller-runtime"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
)

func main() {
	// controller-runtime registers --kubeconfig itself; ctrl.GetConfig reads it.
	flag.Parse()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "cainjector:", err)
		os.Exit(1)
	}
}

func run() error {
	ctrl.SetLogger(klog.NewKlogr())
	config, err := ctrl.GetConfig()
	if err != nil {
		return err
	}
	// The injectors name their server-side-apply field manager after the user agent's prefix.
	config.UserAgent = "cert-manager-cainjector/e2e"
	// Core types (Secrets, webhook configurations), CRDs and cert-manager's Certificates.
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		clientgoscheme.AddToScheme, apiextensionsv1.AddToScheme, cmapi.AddToScheme,
	} {
		if err := add(scheme); err != nil {
			return err
		}
	}
	mgr, err := ctrl.NewManager(config, ctrl.Options{
		Scheme:  scheme,
		Metrics: metricsserver.Options{BindAddress: "0"},
		// The injectors watch only Secrets' metadata and read their data directly, as
		// cert-manager's own cainjector is configured.
		Client: client.Options{Cache: &client.CacheOptions{DisableFor: []client.Object{&corev1.Secret{}}}},
	})
	if err != nil {
		return err
	}
	ctx := ctrl.SetupSignalHandler()
	if err := cainjector.RegisterAllInjectors(ctx, mgr, cainjector.SetupOptions{
		EnableCertificatesDataSource: true,
		EnabledReconcilersFor: map[string]bool{
			"mutatingwebhookconfiguration":   true,
			"validatingwebhookconfiguration": true,
			"apiservice":                     false,
			"customresourcedefinition":       false,
		},
	}); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "cainjector: running")
	return mgr.Start(ctx)
}
