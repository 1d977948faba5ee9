package net.appstore.verifier.core;

import java.util.Optional;

/** Read access to the purchases of one database server (the replica or the primary). */
@FunctionalInterface
public interface PurchaseRecords {

  /**
   * The status of the purchase the receipt {@code jti} was issued for, if this server knows it.
   *
   * @throws PurchaseLookupException if the server cannot answer now (down, timeout, pool busy)
   */
  Optional<PurchaseStatus> statusOf(String jti) throws PurchaseLookupException;
}
