package net.appstore.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import net.appstore.receipt.testing.ReceiptFixture;
import org.junit.jupiter.api.Test;

class ReceiptTest {

  private static final Instant NOW = Instant.parse("2025-11-26T12:00:00Z");

  @Test
  void constructor_subSecondInstants_truncatesToWholeSeconds() {
    Receipt receipt = ReceiptFixture.at(NOW).iat(NOW.minusMillis(1500)).build();

    assertThat(receipt.iat()).isEqualTo(NOW.minusSeconds(2));
  }

  @Test
  void constructor_expEqualToIat_throws() {
    assertThatThrownBy(() -> ReceiptFixture.at(NOW).iat(NOW).exp(NOW).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exp must be after");
  }

  @Test
  void constructor_expEqualToNbf_throws() {
    assertThatThrownBy(
            () -> ReceiptFixture.at(NOW).nbf(NOW.plusSeconds(9)).exp(NOW.plusSeconds(9)).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void constructor_emptyJti_throws() {
    assertThatThrownBy(() -> ReceiptFixture.at(NOW).jti("").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jti");
  }

  @Test
  void constructor_emptyStoredata_throws() {
    assertThatThrownBy(() -> ReceiptFixture.at(NOW).storedata("").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("storedata");
  }

  @Test
  void receiptTypeFromClaimValue_exactValue_findsType() {
    for (ReceiptType type : ReceiptType.values()) {
      assertThat(ReceiptType.fromClaimValue(type.claimValue())).contains(type);
    }
  }

  @Test
  void receiptTypeFromClaimValue_otherCaseOrEnumName_isEmpty() {
    assertThat(ReceiptType.fromClaimValue("Purchase-Receipt")).isEmpty();
    assertThat(ReceiptType.fromClaimValue("PURCHASE")).isEmpty();
    assertThat(ReceiptType.fromClaimValue(null)).isEmpty();
  }
}
