package net.appstore.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import net.appstore.hsm.HsmKeyException.Reason;
import net.appstore.testkit.softhsm.SoftHsmExtension;
import net.appstore.testkit.softhsm.SoftHsmToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Failures of {@link HsmToken#open}. No test here logs in successfully: PKCS#11 login belongs to
 * the whole process, and after one a wrong PIN would no longer be checked for this token.
 */
@ExtendWith(SoftHsmExtension.class)
class HsmLoginTest {

  @Test
  void open_wrongPin_throwsWrongPinNamingTheToken(SoftHsmToken softHsm) {
    char[] wrong = softHsm.userPin();
    wrong[0] = wrong[0] == '0' ? '1' : '0';

    assertThatThrownBy(() -> HsmToken.open(OpenTokens.settings(softHsm), wrong))
        .isInstanceOfSatisfying(
            HsmKeyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_PIN))
        .hasMessageContaining(softHsm.label())
        .hasMessageContaining("CKR_PIN_INCORRECT")
        .hasMessageNotContaining(new String(wrong))
        .hasMessageNotContaining(new String(softHsm.userPin()));
  }

  @Test
  void open_emptyPin_throwsWrongPin(SoftHsmToken softHsm) {
    assertThatThrownBy(() -> HsmToken.open(OpenTokens.settings(softHsm), new char[0]))
        .isInstanceOfSatisfying(
            HsmKeyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_PIN));
  }

  @Test
  void open_noTokenWithLabel_throwsUnavailable(SoftHsmToken softHsm) {
    HsmSettings absent = new HsmSettings(softHsm.library(), "no-such-token");

    assertThatThrownBy(() -> HsmToken.open(absent, softHsm.userPin()))
        .isInstanceOf(HsmUnavailableException.class)
        .hasMessageContaining("no-such-token")
        .hasMessageContaining("SOFTHSM2_CONF");
  }

  @Test
  void open_libraryMissing_throwsUnavailable(SoftHsmToken softHsm) {
    HsmSettings missing = new HsmSettings(Path.of("/nonexistent/libpkcs11.so"), softHsm.label());

    assertThatThrownBy(() -> HsmToken.open(missing, softHsm.userPin()))
        .isInstanceOf(HsmUnavailableException.class)
        .hasMessageContaining("/nonexistent/libpkcs11.so");
  }
}
