/**
 * Configuration: one {@code @ConfigMapping} root and the translation of upstream's command line
 * into its properties.
 */
package io.podidentity.config;
