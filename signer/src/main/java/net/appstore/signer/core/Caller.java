package net.appstore.signer.core;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import net.appstore.receipt.ReceiptType;

/**
 * An authenticated caller (the subject CN of its client certificate) and what it may have signed.
 * Immutable.
 *
 * @param name the certificate's CN, as it appears in logs and the issuance log
 * @param issuers the issuers it may sign for; the first is used when a request names none
 * @param receiptTypes the receipt typs it may have signed
 * @param blocklists whether it may have blocklists signed
 */
public record Caller(
    String name, List<String> issuers, Set<ReceiptType> receiptTypes, boolean blocklists) {

  public Caller {
    Objects.requireNonNull(name, "name");
    issuers = List.copyOf(issuers);
    receiptTypes = Set.copyOf(receiptTypes);
    if (issuers.isEmpty()) {
      throw new IllegalArgumentException("caller " + name + " has no issuer");
    }
  }

  /**
   * The issuer for a request that names {@code requested} (or none).
   *
   * @throws CallerNotAllowedException if the caller may not sign for that issuer
   */
  public String issuer(String requested) {
    if (requested == null) {
      return issuers.get(0);
    }
    if (!issuers.contains(requested)) {
      throw new CallerNotAllowedException("caller " + name + " may not sign for this issuer");
    }
    return requested;
  }

  /**
   * @throws CallerNotAllowedException if the caller may not have receipts of this typ signed
   */
  public void requireReceiptType(ReceiptType type) {
    if (!receiptTypes.contains(type)) {
      throw new CallerNotAllowedException(
          "caller " + name + " may not have " + type.claimValue() + " signed");
    }
  }

  /**
   * @throws CallerNotAllowedException if the caller may not have blocklists signed
   */
  public void requireBlocklists() {
    if (!blocklists) {
      throw new CallerNotAllowedException("caller " + name + " may not have blocklists signed");
    }
  }
}
