package net.appstore.keytool;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.appstore.keys.RegisteredKey;
import net.appstore.keys.audit.IssuanceChain;
import net.appstore.keys.audit.IssuanceEntry;
import net.appstore.keys.audit.IssuanceLog;
import net.appstore.keytool.cli.Commands;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import net.appstore.testkit.softhsm.SoftHsmExtension;
import net.appstore.testkit.softhsm.SoftHsmToken;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.Command;

/** list, check-expiry, export-jwks to stdout, audit verify, db migrate, help and usage errors. */
@PostgresTest
@ExtendWith(SoftHsmExtension.class)
class ReportingCommandsTest {

  private static KeytoolFixture keytool;

  @BeforeAll
  static void migrate(PostgresTestDatabase db, SoftHsmToken token) {
    keytool = new KeytoolFixture(db, token).migrated();
  }

  @BeforeEach
  void freshDeployment() throws Exception {
    keytool.reset();
    keytool
        .jdbi()
        .useHandle(
            h ->
                h.execute(
                    "TRUNCATE audit.issuance_log; UPDATE audit.issuance_head SET seq = 0,"
                        + " hash = decode(repeat('00', 32), 'hex')"));
  }

  @Test
  void list_table_showsEveryColumnAndTheNextStep() {
    String root = keytool.init();
    String active = keytool.activeKey("receipt", "RS256");
    String waiting = keytool.generate("receipt", "ES256");
    keytool.run("publish", waiting).succeeded();

    String out = keytool.run("list").succeeded().out();

    assertThat(out.lines().findFirst().orElseThrow())
        .contains("KID", "PURPOSE", "ALG", "STATE", "NOT AFTER", "DAYS", "HSM LABEL", "NEXT STEP");
    assertThat(out).contains(root, active, waiting);
    assertThat(lineOf(out, waiting)).contains("PUBLISHED", "ES256", "activate from ");
    assertThat(lineOf(out, active)).contains("ACTIVE", "RS256", " 394 ");
  }

  @Test
  void list_json_isMachineReadableWithTheSameFacts() throws Exception {
    keytool.init();
    String active = keytool.activeKey("blocklist", "ES256");

    String out = keytool.run("list", "--json", "--purpose", "blocklist").succeeded().out();

    List<Object> keys = JSONObjectUtils.getJSONArray(JSONObjectUtils.parse(out), "keys");
    assertThat(keys).hasSize(1);
    @SuppressWarnings("unchecked")
    Map<String, Object> key = (Map<String, Object>) keys.get(0);
    assertThat(key)
        .containsEntry("kid", active)
        .containsEntry("purpose", "blocklist")
        .containsEntry("alg", "ES256")
        .containsEntry("state", "ACTIVE")
        .containsEntry("hsmLabel", active)
        .containsKeys("notBefore", "notAfter", "daysToExpiry", "activatedAt");
  }

  @Test
  void checkExpiry_allActiveAndFarFromExpiry_exits0() {
    keytool.init();
    keytool.activeKey("receipt", "ES256");
    keytool.activeKey("blocklist", "ES256");

    CliResult result = keytool.run("check-expiry", "--warn-days", "30").succeeded();

    assertThat(result.out().lines()).hasSize(3).allSatisfy(line -> assertThat(line).contains("ok"));
  }

  @Test
  void checkExpiry_activeKeyExpiresWithinTheWindow_exits7NamingIt() {
    keytool.init();
    String receipt = keytool.activeKey("receipt", "ES256");
    keytool.activeKey("blocklist", "ES256");
    RegisteredKey key = keytool.key(receipt);
    keytool.clock.set(key.notAfter().minus(Duration.ofDays(30)));

    CliResult result = keytool.run("check-expiry", "--warn-days", "30");

    assertThat(result.exitCode()).isEqualTo(ExitCode.EXPIRING);
    assertThat(lineOf(result.out(), "receipt")).contains("WARN", receipt, "in 30 days");
    assertThat(keytool.run("check-expiry", "--warn-days", "29").exitCode()).isZero();
  }

  @Test
  void checkExpiry_purposeWithoutActiveKey_exits7() {
    keytool.init();
    keytool.activeKey("receipt", "ES256");

    CliResult result = keytool.run("check-expiry");

    assertThat(result.exitCode()).isEqualTo(ExitCode.EXPIRING);
    assertThat(lineOf(result.out(), "blocklist")).contains("NONE");
  }

  @Test
  void exportJwks_toStandardOutput_printsTheKeySetAndNamesTheKeysOnStderr() {
    keytool.init();
    String active = keytool.activeKey("receipt", "ES256");

    CliResult result = keytool.run("export-jwks", "--out", "-");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("\"kid\":\"" + active + "\"", "\"x5c\"");
    assertThat(result.err()).contains("1 key(s): " + active);
  }

  @Test
  void auditVerify_intactChain_exits0WithTheEntryCount() {
    append(3);

    assertThat(keytool.run("audit", "verify").succeeded().out()).contains("intact: 3 entries");
  }

  @Test
  void auditVerify_alteredEntry_exits6NamingTheFirstBadSequenceNumber() {
    append(4);
    keytool
        .jdbi()
        .useHandle(
            h -> h.execute("UPDATE audit.issuance_log SET caller = 'mallory' WHERE seq = 2"));

    keytool.run("audit", "verify").failed(ExitCode.INTEGRITY, "broken at seq 2");
  }

  @Test
  void auditVerify_entryDeleted_exits6() {
    append(4);
    keytool.jdbi().useHandle(h -> h.execute("DELETE FROM audit.issuance_log WHERE seq = 3"));

    keytool.run("audit", "verify").failed(ExitCode.INTEGRITY, "entry 3 is missing");
  }

  @Test
  void dbMigrate_again_isANoOp() {
    assertThat(keytool.run("db", "migrate").succeeded().out()).contains("version 2", "0 migration");
  }

  @Test
  void anyCommand_schemaNotMigrated_exits2AskingForDbMigrate(PostgresTestDatabase db) {
    String otherDatabase = db.primaryJdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/postgres$1");

    keytool
        .run(Map.of("PRIMARY_JDBC_URL", otherDatabase), "list")
        .failed(ExitCode.USAGE, "keytool db migrate");
  }

  @Test
  void anyCommand_noDatabaseConfigured_exits2() {
    keytool.run(Map.of("PRIMARY_JDBC_URL", ""), "list").failed(ExitCode.USAGE, "PRIMARY_JDBC_URL");
  }

  @ParameterizedTest
  @ValueSource(strings = {"--nope", "frobnicate"})
  void keytool_unknownOptionOrCommand_exits2WithOneLine(String argument) {
    keytool.run(argument).failed(ExitCode.USAGE, "keytool --help");
  }

  @Test
  void everyVerb_help_exits0AndDescribesIt() {
    for (Class<?> verb : Commands.verbs()) {
      String name = verb.getAnnotation(Command.class).name();
      CliResult result = keytool.run(name, "--help");
      assertThat(result.exitCode()).as(name).isZero();
      assertThat(result.out()).as(name).contains("Usage: keytool " + name);
    }
    assertThat(keytool.run("audit", "verify", "--help").out()).contains("issuance log");
    assertThat(keytool.run("--help").out()).contains("Exit codes:", "HSM unavailable");
  }

  private static void append(int entries) {
    keytool
        .jdbi()
        .useTransaction(
            handle -> {
              for (int i = 0; i < entries; i++) {
                IssuanceLog.append(
                    handle,
                    List.of(
                        new IssuanceEntry(
                            "jti-" + i,
                            Optional.of("purchase-" + i),
                            IssuanceEntry.DocumentType.RECEIPT,
                            "receipt-20260301-00000001",
                            "store",
                            IssuanceChain.claimsSha256("{\"n\":" + i + "}"),
                            Instant.parse("2026-03-01T10:00:00Z").plusSeconds(i))));
              }
            });
  }

  private static String lineOf(String out, String fragment) {
    return out.lines()
        .filter(line -> line.contains(fragment))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line with " + fragment + " in\n" + out));
  }
}
