/**
 * The published key set (JWKS) and the trust decision about its keys.
 *
 * <p>The JWKS transport is not trusted: a key is used only if its {@code x5c} chain leads to the
 * root certificate pinned in the verifier's configuration ({@link
 * net.appstore.receipt.keys.CertificateChainValidator}). So whoever can tamper with the JWKS can
 * withhold keys, never add one.
 */
package net.appstore.receipt.keys;
