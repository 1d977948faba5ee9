/**
 * JOSE policy and the signing mechanism.
 *
 * <p>Policy ({@link net.appstore.receipt.jose.JosePolicy}): what a token may look like — size,
 * compact form, the three header parameters, the three algorithms. Mechanism ({@link
 * net.appstore.receipt.jose.SigningKey}, {@link net.appstore.receipt.jose.DocumentSigner}): where
 * the private key lives (an HSM through its JCA provider, or a software key in tests) and how a
 * signature is made. The signer emits only what the policy accepts.
 */
package net.appstore.receipt.jose;
