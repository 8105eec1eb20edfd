/**
 * The self-hosted IRSA toolkit: {@code oidc ...} and {@code mutate} subcommands of the webhook's
 * executable, run before (and instead of) the server. Thin picocli commands: each checks its
 * arguments in {@code validate()}, then does its work in {@code run()} with the {@code oidc},
 * {@code identity} and {@code admission} packages.
 */
package io.podidentity.cli;
