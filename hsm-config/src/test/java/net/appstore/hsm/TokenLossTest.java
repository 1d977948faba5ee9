package net.appstore.hsm;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import net.appstore.testkit.softhsm.SoftHsmExtension;
import net.appstore.testkit.softhsm.SoftHsmToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The token vanishes under a running process (its files move away, as when a network HSM drops).
 * This test breaks its token for the rest of the JVM, which is why it has a class of its own.
 */
@ExtendWith(SoftHsmExtension.class)
class TokenLossTest {

  @Test
  void canary_tokenRemovedThenRestored_staysUnavailableInThisProcess(SoftHsmToken softHsm)
      throws Exception {
    HsmToken token = OpenTokens.open(softHsm);
    token.generateKeyPair("loss", HsmKeyType.EC_P256, TestRootCa.create());
    try (HsmCanary canary = new HsmCanary(token, Duration.ofSeconds(10))) {
      canary.check("loss");
      Path away = softHsm.directory().resolveSibling(softHsm.directory().getFileName() + ".away");

      Files.move(softHsm.directory(), away);

      // SunPKCS11 now shows an empty key store; the probe keeps this from reading as KEY_ABSENT.
      assertThatThrownBy(() -> canary.check("loss"))
          .isInstanceOf(HsmUnavailableException.class)
          .hasMessageContaining(softHsm.label());
      assertThatThrownBy(() -> token.key("loss")).isInstanceOf(HsmUnavailableException.class);

      Files.move(away, softHsm.directory());

      assertThatThrownBy(() -> canary.check("loss"))
          .as("no recovery within the process, even with the token back")
          .isInstanceOf(HsmUnavailableException.class)
          .hasMessageContaining("restart");
      assertThatThrownBy(() -> OpenTokens.open(softHsm))
          .isInstanceOf(HsmUnavailableException.class);
      // Slot lookup walks past the broken slot instead of failing on it.
      HsmSettings other = new HsmSettings(softHsm.library(), "no-such-token");
      assertThatThrownBy(() -> HsmToken.open(other, softHsm.userPin()))
          .isInstanceOf(HsmUnavailableException.class)
          .hasMessageContaining("no token labelled 'no-such-token'");
    }
  }
}
