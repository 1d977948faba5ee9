/**
 * The verifier's wire format: {@link net.appstore.verifier.api.Verdict} and its codes. Field names,
 * status names and reason codes are a public contract with app developers.
 */
package net.appstore.verifier.api;
