package net.appstore.signer.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /v1/blocklists} answer: exactly the signed token and the key that signed it.
 *
 * @param token the compact JWS ({@code typ: blocklist+jwt})
 * @param kid the blocklist key
 */
public record BlocklistResponse(
    @JsonProperty("token") String token, @JsonProperty("kid") String kid) {}
