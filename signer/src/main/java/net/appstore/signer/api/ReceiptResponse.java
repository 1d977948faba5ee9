package net.appstore.signer.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /v1/receipts} answer: the compact JWS and the facts a store records with it.
 *
 * @param receipt the signed receipt
 * @param jti its id
 * @param kid the key that signed it
 * @param exp its expiry, seconds since the epoch
 */
public record ReceiptResponse(
    @JsonProperty("receipt") String receipt,
    @JsonProperty("jti") String jti,
    @JsonProperty("kid") String kid,
    @JsonProperty("exp") long exp) {}
