/**
 * The verification core the verifier service wraps: a compact token in, a {@link
 * net.appstore.receipt.verify.VerifiedReceipt} out, or a {@link
 * net.appstore.receipt.ReceiptRejectedException} with a stable reason.
 *
 * <p>Checks run cheapest first: size, compact form, header policy, key known, algorithm pinned, key
 * trusted, signature, claims. Time comes from an injected {@link java.time.Clock}, read once per
 * token.
 */
package net.appstore.receipt.verify;
