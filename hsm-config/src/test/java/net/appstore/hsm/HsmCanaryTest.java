package net.appstore.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.appstore.hsm.HsmKeyException.Reason;
import net.appstore.testkit.softhsm.SoftHsmExtension;
import net.appstore.testkit.softhsm.SoftHsmToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(SoftHsmExtension.class)
class HsmCanaryTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static HsmToken token;
  private static TestRootCa rootCa;
  private static HsmCanary canary;

  @BeforeAll
  static void open(SoftHsmToken softHsm) throws Exception {
    token = OpenTokens.open(softHsm);
    rootCa = TestRootCa.create();
    canary = new HsmCanary(token, TIMEOUT);
  }

  @AfterAll
  static void close() {
    canary.close();
  }

  @ParameterizedTest
  @EnumSource(HsmKeyType.class)
  void check_keyPresent_passesWithinTimeout(HsmKeyType type) throws Exception {
    String label = "canary-" + type.name().toLowerCase();
    token.generateKeyPair(label, type, rootCa);

    Duration took = canary.check(label);

    assertThat(took).isPositive().isLessThan(TIMEOUT);
  }

  @Test
  void check_aliasAbsent_throwsKeyAbsent() {
    assertThatThrownBy(() -> canary.check("no-such-key"))
        .isInstanceOfSatisfying(
            HsmKeyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.KEY_ABSENT));
  }

  @Test
  void check_keyDeletedAfterPassingCheck_throwsKeyAbsent() throws Exception {
    token.generateKeyPair("canary-deleted", HsmKeyType.EC_P256, rootCa);
    canary.check("canary-deleted");

    token.deleteKey("canary-deleted");

    assertThatThrownBy(() -> canary.check("canary-deleted"))
        .isInstanceOfSatisfying(
            HsmKeyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.KEY_ABSENT));
  }
}
