/**
 * Where identities come from: the ServiceAccount cache fed by an informer (or the standalone
 * objects file), the {@code pod-identity-webhook} ConfigMap and the container-credentials file;
 * annotation parsing and the order of precedence between them.
 */
package io.podidentity.identity;
