package net.appstore.keytool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.appstore.keys.KeyState;
import net.appstore.keys.RegisteredKey;
import net.appstore.keytool.lifecycle.LifecyclePolicy;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import net.appstore.testkit.softhsm.SoftHsmExtension;
import net.appstore.testkit.softhsm.SoftHsmToken;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The HSM cannot be reached: every command that needs it exits 3 with one line and changes nothing;
 * registry-only commands go on working. The last test makes this class's token vanish for the rest
 * of the JVM (SunPKCS11 does not recover in-process), hence a class of its own and a fixed order.
 */
@PostgresTest
@ExtendWith(SoftHsmExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HsmUnavailableTest {

  private static KeytoolFixture keytool;
  private static SoftHsmToken softHsm;
  private static String active;
  private static String retired;
  private static String published;

  @BeforeAll
  static void deployment(PostgresTestDatabase db, SoftHsmToken token) {
    softHsm = token;
    keytool = new KeytoolFixture(db, token).migrated();
    keytool.init();
    retired = keytool.activeKey("receipt", "ES256");
    active = keytool.activeKey("receipt", "ES256");
    keytool.clock.advance(
        LifecyclePolicy.DEFAULT_RECEIPT_LIFETIME.plus(
            LifecyclePolicy.DEFAULT_SIGNER_KEY_STALENESS));
    keytool.run("retire", retired).succeeded();
    published = keytool.generate("receipt", "ES256");
    keytool.run("publish", published).succeeded();
    keytool.clock.advance(LifecyclePolicy.DEFAULT_KEY_CACHE_AGE);
  }

  @Test
  @Order(1)
  void hsmCommands_noTokenWithTheConfiguredLabel_exit3AndChangeNothing() throws Exception {
    List<RegisteredKey> before = keytool.keys();
    Map<String, String> wrongToken = Map.of("HSM_TOKEN_LABEL", "no-such-token");

    keytool
        .run(wrongToken, "generate", "--purpose", "receipt")
        .failed(ExitCode.HSM_UNAVAILABLE, "no token labelled 'no-such-token'");
    keytool
        .run(wrongToken, "activate", published)
        .failed(ExitCode.HSM_UNAVAILABLE, "HSM unavailable");
    keytool.run(wrongToken, "destroy", retired).failed(ExitCode.HSM_UNAVAILABLE, "HSM unavailable");
    keytool
        .run(wrongToken, "rotate", "--purpose", "receipt")
        .failed(ExitCode.HSM_UNAVAILABLE, "HSM unavailable");

    assertThat(keytool.keys()).isEqualTo(before);
    keytool.assertRegistryAndHsmAgree();
  }

  @Test
  @Order(2)
  void hsmCommands_libraryMissing_exit3() {
    keytool
        .run(
            Map.of("PKCS11_LIBRARY", "/nonexistent/libpkcs11.so"),
            "generate",
            "--purpose",
            "receipt")
        .failed(ExitCode.HSM_UNAVAILABLE, "/nonexistent/libpkcs11.so");
  }

  @Test
  @Order(3)
  void hsmCommands_tokenVanishedUnderTheProcess_exit3AndTheRegistryStaysAsItWas() throws Exception {
    List<RegisteredKey> before = keytool.keys();
    Path away = softHsm.directory().resolveSibling(softHsm.directory().getFileName() + ".away");
    Files.move(softHsm.directory(), away);
    try {
      keytool.run("activate", published).failed(ExitCode.HSM_UNAVAILABLE, "HSM unavailable");
      keytool.run("destroy", retired).failed(ExitCode.HSM_UNAVAILABLE, "HSM unavailable");
      keytool
          .run("rotate", "--purpose", "receipt", "--force")
          .failed(ExitCode.HSM_UNAVAILABLE, "HSM unavailable");
      keytool
          .run("generate", "--purpose", "blocklist")
          .failed(ExitCode.HSM_UNAVAILABLE, "HSM unavailable");

      assertThat(keytool.keys()).isEqualTo(before);
      assertThat(keytool.state(active)).isEqualTo(KeyState.ACTIVE);
      // Commands that need only the registry go on working.
      assertThat(keytool.run("list").succeeded().out()).contains(active, published, retired);
      keytool.run("retire", published).succeeded();
      assertThat(keytool.state(published)).isEqualTo(KeyState.RETIRED);
    } finally {
      Files.move(away, softHsm.directory());
    }
  }
}
