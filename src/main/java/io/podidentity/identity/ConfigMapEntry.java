package io.podidentity.identity;

/**
 * One {@code "namespace/name"} entry of the {@code pod-identity-webhook} ConfigMap, with defaults
 * already applied.
 */
record ConfigMapEntry(String roleArn, String audience, boolean useRegionalSts, long tokenExpiration) {}
