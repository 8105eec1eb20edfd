/**
 * OpenID Connect pieces a self-hosted cluster needs for IRSA, with no framework: JWKs and the
 * discovery document exactly as kube-apiserver publishes them, RS256 token verification, and the
 * evaluation of an IAM role trust policy against a token's claims.
 */
package io.podidentity.oidc;
