/**
 * Serving certificates: a self-signed CA and leaf for a first local run, and up-front checks of
 * the PEM files given with {@code --tls-cert} / {@code --tls-key}.
 */
package io.podidentity.tls;
