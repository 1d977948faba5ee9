package net.appstore.signer.core;

/**
 * A signed blocklist as answered to the catalog.
 *
 * @param token the compact JWS, {@code typ: blocklist+jwt}
 * @param kid the blocklist key that signed it
 * @param logId the id of its issuance-log entry (the log's {@code jti} column)
 */
public record SignedBlocklist(String token, String kid, String logId) {}
