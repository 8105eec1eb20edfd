/**
 * Configuration: the command line of the Go webhook translated to {@code webhook.*} properties,
 * and the Go value syntaxes (durations, TLS names) those flags use.
 */
package io.podidentity.config;
