package io.podidentity.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.Optional;

/**
 * Every setting of the webhook. Each upstream command-line flag {@code --name} is the property
 * {@code webhook.name} (environment variable {@code WEBHOOK_NAME}); the command line wins.
 */
@ConfigMapping(prefix = "webhook")
public interface WebhookConfig {

    /** HTTPS port of {@code /mutate}, {@code /healthz} and {@code /readyz}. */
    @WithDefault("443")
    int port();

    /** Plain-HTTP port of {@code /metrics} and the debug handlers. */
    @WithName("metrics-port")
    @WithDefault("9999")
    int metricsPort();

    /** Kubeconfig file used to reach the API server; empty: in-cluster configuration. */
    Optional<String> kubeconfig();

    /** API server URL; overrides the server of the kubeconfig. */
    @WithName("kube-api")
    Optional<String> kubeApi();

    /** PEM certificate (chain) served on {@link #port()}. */
    @WithName("tls-cert")
    @WithDefault("/etc/webhook/certs/tls.crt")
    String tlsCert();

    /** PEM private key (PKCS#1 or PKCS#8, RSA or EC) of {@link #tlsCert()}. */
    @WithName("tls-key")
    @WithDefault("/etc/webhook/certs/tls.key")
    String tlsKey();

    /** Minimum TLS version: 1.0, 1.1, 1.2 (default) or 1.3, or Go's VersionTLS1x names. */
    @WithName("tls-min-version")
    Optional<String> tlsMinVersion();

    /** Comma-separated Go cipher suite names; empty: the runtime's defaults. */
    @WithName("tls-cipher-suites")
    Optional<String> tlsCipherSuites();

    /** How often the certificate files are re-read to pick up a rotation (Go duration). */
    @WithName("tls-reload-period")
    @WithDefault("10s")
    String tlsReloadPeriod();

    /**
     * On SIGTERM, how long to keep serving (with {@code /readyz} failing) before the drain starts,
     * so that no kube-proxy still routes new connections here when the listener closes (Go duration).
     */
    @WithName("shutdown-delay")
    @WithDefault("5s")
    String shutdownDelay();

    /** Where a self-signed certificate is generated when the certificate files are missing. */
    @WithName("self-signed-cert-dir")
    Optional<String> selfSignedCertDir();

    /** Accepted for compatibility: upstream's CSR mode is gone, the certificate files are always used. */
    @WithName("in-cluster")
    @WithDefault("true")
    boolean inCluster();

    /** The Service fronting this webhook (used for the names of a generated certificate). */
    @WithName("service-name")
    @WithDefault("pod-identity-webhook")
    String serviceName();

    /** Namespace of this webhook and of the {@code pod-identity-webhook} ConfigMap. */
    @WithDefault("eks")
    String namespace();

    /** Accepted for compatibility (upstream's CSR mode). */
    @WithName("tls-secret")
    @WithDefault("pod-identity-webhook")
    String tlsSecret();

    /** Prefix of the ServiceAccount and pod annotations. */
    @WithName("annotation-prefix")
    @WithDefault("eks.amazonaws.com")
    String annotationPrefix();

    /** Default token audience; the ServiceAccount annotation {@code <p>/audience} overrides it. */
    @WithName("token-audience")
    @WithDefault("sts.amazonaws.com")
    String tokenAudience();

    /** Directory where web identity tokens are mounted. */
    @WithName("token-mount-path")
    @WithDefault("/var/run/secrets/eks.amazonaws.com/serviceaccount")
    String tokenMountPath();

    /** Default token lifetime in seconds (raised to 600 at least). */
    @WithName("token-expiration")
    @WithDefault("86400")
    long tokenExpiration();

    /** Region injected as AWS_DEFAULT_REGION and AWS_REGION; empty: none. */
    @WithName("aws-default-region")
    Optional<String> awsDefaultRegion();

    /** Inject AWS_STS_REGIONAL_ENDPOINTS=regional unless the ServiceAccount says otherwise. */
    @WithName("sts-regional-endpoint")
    @WithDefault("false")
    boolean stsRegionalEndpoint();

    /** Watch the {@code pod-identity-webhook} ConfigMap for ServiceAccount roles. */
    @WithName("watch-config-map")
    @WithDefault("false")
    boolean watchConfigMap();

    /** Accept role names (and paths) instead of full ARNs in the role-arn annotation. */
    @WithName("compose-role-arn")
    @WithDefault("false")
    boolean composeRoleArn();

    /** Account id used to compose role ARNs; empty: asked from EC2 instance metadata. */
    @WithName("aws-account-id")
    Optional<String> awsAccountId();

    /** Partition used to compose role ARNs; empty: derived from the region. */
    @WithName("aws-partition")
    Optional<String> awsPartition();

    /** Container credentials (EKS Pod Identity) file to watch; empty: the mode is off. */
    @WithName("watch-container-credentials-config")
    Optional<String> watchContainerCredentialsConfig();

    /** Audience of container-credentials tokens. */
    @WithName("container-credentials-audience")
    @WithDefault("pods.eks.amazonaws.com")
    String containerCredentialsAudience();

    /** Directory where container-credentials tokens are mounted. */
    @WithName("container-credentials-token-mount-path")
    @WithDefault("/var/run/secrets/pods.eks.amazonaws.com/serviceaccount")
    String containerCredentialsTokenMountPath();

    /** Volume name of container-credentials tokens. */
    @WithName("container-credentials-token-volume-name")
    @WithDefault("eks-pod-identity-token")
    String containerCredentialsTokenVolumeName();

    /** File name of container-credentials tokens inside their volume. */
    @WithName("container-credentials-token-path")
    @WithDefault("eks-pod-identity-token")
    String containerCredentialsTokenPath();

    /** Value of AWS_CONTAINER_CREDENTIALS_FULL_URI. */
    @WithName("container-credentials-full-uri")
    @WithDefault("http://169.254.170.23/v1/credentials")
    String containerCredentialsFullUri();

    /** Serve /debug/alpha/* handlers. */
    @WithName("enable-debugging-handlers")
    @WithDefault("false")
    boolean enableDebuggingHandlers();

    /** How long to wait for a ServiceAccount missing from the cache (Go duration; 0: no wait). */
    @WithName("service-account-lookup-grace-period")
    @WithDefault("0")
    String serviceAccountLookupGracePeriod();

    /** Resync period of the ServiceAccount informer (Go duration). */
    @WithName("resync-period")
    @WithDefault("60s")
    String resyncPeriod();

    /** Standalone mode: ServiceAccounts (and the ConfigMap) from this YAML/JSON file, no cluster. */
    @WithName("objects-file")
    Optional<String> objectsFile();

    /** Log line format: {@code text} or {@code json}. */
    @WithName("log-format")
    @WithDefault("text")
    String logFormat();

    /** klog verbosity ({@code -v}); 4 and above log at debug level. */
    @WithName("log-verbosity")
    @WithDefault("0")
    int logVerbosity();

    /** Largest admission request body accepted, in bytes; larger ones get HTTP 413. */
    @WithName("max-request-bytes")
    @WithDefault("4194304")
    long maxRequestBytes();
}
