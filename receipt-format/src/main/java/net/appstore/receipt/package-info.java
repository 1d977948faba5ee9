/**
 * The receipt as data: the claims of the Web Application Receipt format as immutable records, their
 * strict conversion to and from a JWT claims set, and the stable rejection codes every module
 * reports.
 *
 * <p>Sub-packages: {@link net.appstore.receipt.jose} (JOSE policy and the signing mechanism),
 * {@link net.appstore.receipt.keys} (published key set and certificate chain validation), {@link
 * net.appstore.receipt.verify} (the verification core the verifier service wraps).
 *
 * <p>A receipt's identity is its {@code jti}, never the token bytes: ECDSA signatures are
 * malleable, so one receipt can have more than one valid encoding.
 */
package net.appstore.receipt;
