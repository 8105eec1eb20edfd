/**
 * The pure mutation: a pod view, a resolved identity and the settings in, additive JSON Patch
 * operations and admission warnings out. Imports nothing but the JDK.
 */
package io.podidentity.mutation;
