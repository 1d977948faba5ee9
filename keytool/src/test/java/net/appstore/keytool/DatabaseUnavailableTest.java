package net.appstore.keytool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SortedSet;
import net.appstore.keys.RegisteredKey;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import net.appstore.testkit.softhsm.SoftHsmExtension;
import net.appstore.testkit.softhsm.SoftHsmToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The registry's primary is down: exit 4, one line, and nothing generated in the HSM. */
@PostgresTest(dedicatedCluster = true)
@ExtendWith(SoftHsmExtension.class)
class DatabaseUnavailableTest {

  @Test
  void anyCommand_primaryStopped_exit4AndTheHsmIsUntouched(
      PostgresTestDatabase db, SoftHsmToken token) throws Exception {
    KeytoolFixture keytool = new KeytoolFixture(db, token).migrated();
    keytool.init();
    String kid = keytool.generate("receipt", "ES256");
    List<RegisteredKey> before = keytool.keys();
    SortedSet<String> labels = keytool.hsmLabels();

    db.stopPrimary();
    try {
      keytool
          .run("generate", "--purpose", "receipt")
          .failed(ExitCode.DATABASE_UNAVAILABLE, "registry database unavailable");
      keytool
          .run("rotate", "--purpose", "receipt")
          .failed(ExitCode.DATABASE_UNAVAILABLE, "registry database unavailable");
      keytool.run("publish", kid).failed(ExitCode.DATABASE_UNAVAILABLE, "unavailable");
      keytool.run("list").failed(ExitCode.DATABASE_UNAVAILABLE, "unavailable");
      keytool.run("db", "migrate").failed(ExitCode.DATABASE_UNAVAILABLE, "unavailable");
      keytool.run("audit", "verify").failed(ExitCode.DATABASE_UNAVAILABLE, "unavailable");
      assertThat(keytool.hsmLabels()).isEqualTo(labels);
    } finally {
      db.restoreHealthy();
    }
    assertThat(keytool.keys()).isEqualTo(before);
  }
}
