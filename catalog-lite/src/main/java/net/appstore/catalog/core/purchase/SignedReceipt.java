package net.appstore.catalog.core.purchase;

import java.time.Instant;

/** A receipt the signer issued: the compact JWS and the facts the store records with it. */
public record SignedReceipt(String receipt, String jti, String kid, Instant expiresAt) {}
