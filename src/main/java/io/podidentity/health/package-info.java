/** Liveness and readiness: {@code /healthz}, {@code /readyz} and the SmallRye Health checks. */
package io.podidentity.health;
