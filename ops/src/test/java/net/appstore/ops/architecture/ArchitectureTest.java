package net.appstore.ops.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import net.appstore.verifier.archfixture.VerifierReachingIntoTheHsm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries of DESIGN.md, checked on the compiled main classes of every module: the
 * verifier never depends on the signer or the HSM layer (so it can run anywhere, with no key
 * material near it), and only hsm-config names PKCS#11 classes.
 */
class ArchitectureTest {

  private static JavaClasses production;

  static final ArchRule VERIFIER_NEVER_REACHES_SIGNER_OR_HSM =
      noClasses()
          .that()
          .resideInAPackage("net.appstore.verifier..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("net.appstore.signer..", "net.appstore.hsm..", "net.appstore.keys..")
          .because("the verifier is public-facing and must hold no path to signing keys");

  static final ArchRule ONLY_HSM_CONFIG_NAMES_PKCS11 =
      noClasses()
          .that()
          .resideOutsideOfPackage("net.appstore.hsm..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("sun.security.pkcs11..")
          .because("hsm-config is the only code that touches PKCS#11");

  static final ArchRule CATALOG_TALKS_TO_SIGNER_ONLY_OVER_HTTPS =
      noClasses()
          .that()
          .resideInAPackage("net.appstore.catalog..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("net.appstore.signer..", "net.appstore.hsm..", "net.appstore.keys..")
          .because("the store reaches the signer over mutual TLS, never in-process");

  static final ArchRule RECEIPT_FORMAT_DEPENDS_ON_NO_OTHER_MODULE =
      noClasses()
          .that()
          .resideInAPackage("net.appstore.receipt..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "net.appstore.hsm..",
              "net.appstore.keys..",
              "net.appstore.signer..",
              "net.appstore.verifier..",
              "net.appstore.catalog..",
              "net.appstore.keytool..");

  @BeforeAll
  static void importProductionClasses() {
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("net.appstore");
  }

  @Test
  void verifier_neverDependsOnSignerHsmOrKeyRegistry() {
    VERIFIER_NEVER_REACHES_SIGNER_OR_HSM.allowEmptyShould(true).check(production);
  }

  @Test
  void pkcs11_onlyNamedByHsmConfig() {
    ONLY_HSM_CONFIG_NAMES_PKCS11.check(production);
  }

  @Test
  void catalog_neverDependsOnSignerHsmOrKeyRegistry() {
    CATALOG_TALKS_TO_SIGNER_ONLY_OVER_HTTPS.allowEmptyShould(true).check(production);
  }

  @Test
  void receiptFormat_dependsOnNoOtherModule() {
    RECEIPT_FORMAT_DEPENDS_ON_NO_OTHER_MODULE.check(production);
  }

  @Test
  void verifierRule_violatingClass_isReported() {
    JavaClasses fixture = new ClassFileImporter().importClasses(VerifierReachingIntoTheHsm.class);
    EvaluationResult result = VERIFIER_NEVER_REACHES_SIGNER_OR_HSM.evaluate(fixture);
    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().toString()).contains("HsmUnavailableException");
  }

  @Test
  void production_importSeesEveryModule() {
    assertThat(production.stream().map(c -> c.getPackageName().split("\\.")[2]).distinct())
        .contains("receipt", "hsm", "keys", "service");
  }
}
