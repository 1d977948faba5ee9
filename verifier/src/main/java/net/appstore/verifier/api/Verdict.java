package net.appstore.verifier.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.util.Objects;
import net.appstore.receipt.RejectionReason;

/**
 * The answer of {@code POST /v1/verify}: {@code {"status": ..., "reason"?: ..., "reissue"?: ...}}.
 *
 * @param status the verdict
 * @param reason a stable code (see the verifier README) for {@code invalid} and {@code pending};
 *     absent otherwise
 * @param reissue for {@code expired} only: where the app gets a fresh receipt. Taken from the
 *     receipt itself, and only after its signature has been checked
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Verdict(VerificationStatus status, String reason, URI reissue) {

  private static final Verdict OK = new Verdict(VerificationStatus.OK, null, null);
  private static final Verdict REFUNDED = new Verdict(VerificationStatus.REFUNDED, null, null);

  public Verdict {
    Objects.requireNonNull(status, "status");
  }

  public static Verdict ok() {
    return OK;
  }

  public static Verdict refunded() {
    return REFUNDED;
  }

  public static Verdict pending(PendingReason reason) {
    return new Verdict(VerificationStatus.PENDING, reason.name(), null);
  }

  public static Verdict expired(URI reissue) {
    return new Verdict(VerificationStatus.EXPIRED, null, Objects.requireNonNull(reissue));
  }

  /** The token itself is refused (signature, key, format, claims). */
  public static Verdict invalid(RejectionReason reason) {
    return new Verdict(VerificationStatus.INVALID, reason.name(), null);
  }

  /** The token is authentic, but the purchase behind it does not stand. */
  public static Verdict invalid(PurchaseRejection reason) {
    return new Verdict(VerificationStatus.INVALID, reason.name(), null);
  }
}
