package net.appstore.keys.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * What the issuance log records about one signed document: never the document itself, only its
 * identity ({@code jti}), who asked, which key signed, and the SHA-256 of its claims.
 *
 * @param issuedAt truncated to microseconds, the precision PostgreSQL stores, so that the hash
 *     computed before the insert equals the one recomputed from the row
 */
public record IssuanceEntry(
    String jti,
    Optional<String> purchaseId,
    DocumentType documentType,
    String kid,
    String caller,
    byte[] claimsSha256,
    Instant issuedAt) {

  /** The kinds of signed document. */
  public enum DocumentType {
    RECEIPT("receipt"),
    BLOCKLIST("blocklist");

    private final String wireName;

    DocumentType(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    public static DocumentType fromWireName(String value) {
      for (DocumentType type : values()) {
        if (type.wireName.equals(value)) {
          return type;
        }
      }
      throw new IllegalArgumentException("unknown document type '" + value + "'");
    }
  }

  public IssuanceEntry {
    Objects.requireNonNull(jti, "jti");
    Objects.requireNonNull(purchaseId, "purchaseId");
    Objects.requireNonNull(documentType, "documentType");
    Objects.requireNonNull(kid, "kid");
    Objects.requireNonNull(caller, "caller");
    if (claimsSha256 == null || claimsSha256.length != 32) {
      throw new IllegalArgumentException("claimsSha256 must be 32 bytes");
    }
    claimsSha256 = claimsSha256.clone();
    issuedAt = issuedAt.truncatedTo(ChronoUnit.MICROS);
  }

  @Override
  public byte[] claimsSha256() {
    return claimsSha256.clone();
  }
}
