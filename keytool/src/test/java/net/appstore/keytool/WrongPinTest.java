package net.appstore.keytool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import net.appstore.testkit.softhsm.SoftHsmExtension;
import net.appstore.testkit.softhsm.SoftHsmToken;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A wrong PIN exits 5 without changing anything. PKCS#11 login belongs to the whole process, and
 * after one good login a wrong PIN is no longer checked: so this class has its own token and logs
 * in correctly only at the very end of its one test.
 */
@PostgresTest
@ExtendWith(SoftHsmExtension.class)
class WrongPinTest {

  private static KeytoolFixture keytool;
  private static SoftHsmToken softHsm;

  @BeforeAll
  static void migrate(PostgresTestDatabase db, SoftHsmToken token) {
    softHsm = token;
    keytool = new KeytoolFixture(db, token).migrated();
  }

  @Test
  void hsmCommands_wrongOrMissingPin_exit5Or2WithoutShowingThePinOrChangingAnything()
      throws Exception {
    char[] pin = softHsm.userPin();
    pin[0] = pin[0] == '0' ? '1' : '0';
    String wrong = new String(pin);

    CliResult init =
        keytool.run(Map.of("HSM_PIN", wrong), "init").failed(ExitCode.WRONG_PIN, "WRONG_PIN");
    keytool
        .run(Map.of("HSM_PIN", wrong), "rotate", "--purpose", "receipt")
        .failed(ExitCode.WRONG_PIN, "CKR_PIN_INCORRECT");
    CliResult noPin =
        keytool.run(Map.of("HSM_PIN", ""), "init").failed(ExitCode.USAGE, "set HSM_PIN");

    assertThat(init.err() + init.out() + noPin.err())
        .doesNotContain(wrong)
        .doesNotContain(new String(softHsm.userPin()));
    assertThat(keytool.keys()).isEmpty();
    assertThat(keytool.hsmLabels()).isEmpty(); // the first good login of this process
  }
}
