package net.appstore.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicInteger;
import net.appstore.hsm.HsmKeyException.Reason;
import net.appstore.testkit.softhsm.SoftHsmExtension;
import net.appstore.testkit.softhsm.SoftHsmToken;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Key generation, lookup and deletion on a real SoftHSM2 token. */
@ExtendWith(SoftHsmExtension.class)
class HsmTokenKeysTest {

  private static final AtomicInteger LABELS = new AtomicInteger();
  private static HsmToken token;
  private static TestRootCa rootCa;

  @BeforeAll
  static void open(SoftHsmToken softHsm) throws Exception {
    token = OpenTokens.open(softHsm);
    rootCa = TestRootCa.create();
  }

  private static String newLabel() {
    return "keys-test-" + LABELS.incrementAndGet();
  }

  @ParameterizedTest
  @EnumSource(HsmKeyType.class)
  void generateKeyPair_anyType_privateKeyIsSensitiveAndNeverExtractable(HsmKeyType type)
      throws Exception {
    String label = newLabel();
    token.generateKeyPair(label, type, rootCa);

    KeyAttributes attributes = token.keyAttributes(label);

    assertThat(attributes)
        .isEqualTo(
            new KeyAttributes(
                /* token= */ true,
                /* privateObject= */ true,
                /* sensitive= */ true,
                /* extractable= */ false,
                /* alwaysSensitive= */ true,
                /* neverExtractable= */ true));
    assertThat(attributes.confinedToHsm()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(HsmKeyType.class)
  void generateKeyPair_anyType_keyFoundByLabelWithItsChain(HsmKeyType type) throws Exception {
    String label = newLabel();
    HsmKey generated = token.generateKeyPair(label, type, rootCa);

    HsmKey found = token.key(label, type);

    assertThat(found.type()).isEqualTo(type);
    assertThat(found.publicKey()).isEqualTo(generated.publicKey());
    assertThat(found.chain()).hasSize(2);
    assertThat(found.chain().get(1)).isEqualTo(rootCa.rootCertificate());
    found.certificate().verify(rootCa.rootCertificate().getPublicKey());
    assertThat(found.privateKey().getEncoded()).as("a sensitive key has no encoding").isNull();
    assertThat(token.labels()).contains(label);
  }

  @Test
  void generateKeyPair_labelInUse_failsWithLabelInUse() throws Exception {
    String label = newLabel();
    token.generateKeyPair(label, HsmKeyType.EC_P256, rootCa);

    assertThatThrownBy(() -> token.generateKeyPair(label, HsmKeyType.EC_P256, rootCa))
        .isInstanceOfSatisfying(
            HsmKeyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.LABEL_IN_USE));
  }

  @Test
  void generateKeyPair_certifierCertifiesAnotherKey_failsAndLeavesNoObject() throws Exception {
    String label = newLabel();
    PublicKey stranger = KeyPairGenerator.getInstance("EC").generateKeyPair().getPublic();
    KeyCertifier wrongKey = (publicKey, l) -> rootCa.certify(stranger, l);

    assertThatThrownBy(() -> token.generateKeyPair(label, HsmKeyType.EC_P256, wrongKey))
        .isInstanceOfSatisfying(
            HsmKeyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.KEY_UNUSABLE));

    assertThatThrownBy(() -> token.deleteKey(label))
        .as("nothing labelled '%s' may remain", label)
        .isInstanceOfSatisfying(
            HsmKeyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.KEY_ABSENT));
    assertThat(token.generateKeyPair(label, HsmKeyType.EC_P256, rootCa).label()).isEqualTo(label);
  }

  @Test
  void key_absentLabel_failsWithKeyAbsent() {
    assertThatThrownBy(() -> token.key("never-generated"))
        .isInstanceOfSatisfying(
            HsmKeyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.KEY_ABSENT));
  }

  @Test
  void key_otherTypeExpected_failsWithWrongKeyType() throws Exception {
    String label = newLabel();
    token.generateKeyPair(label, HsmKeyType.EC_P256, rootCa);

    assertThatThrownBy(() -> token.key(label, HsmKeyType.RSA_2048))
        .isInstanceOfSatisfying(
            HsmKeyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_KEY_TYPE));
  }

  @Test
  void key_generatedThroughAnotherHandle_isFoundWithoutReopening(SoftHsmToken softHsm)
      throws Exception {
    HsmToken other = OpenTokens.open(softHsm);
    assertThat(other.labels()).isEqualTo(token.labels());
    String label = newLabel();

    token.generateKeyPair(label, HsmKeyType.RSA_2048, rootCa);

    assertThat(other.key(label).type()).isEqualTo(HsmKeyType.RSA_2048);
  }

  @Test
  void deleteKey_existingKey_removesEveryObjectOfTheKey() throws Exception {
    String label = newLabel();
    token.generateKeyPair(label, HsmKeyType.RSA_2048, rootCa);

    token.deleteKey(label);

    assertThat(token.labels()).doesNotContain(label);
    assertThatThrownBy(() -> token.keyAttributes(label))
        .isInstanceOfSatisfying(
            HsmKeyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.KEY_ABSENT));
    // LABEL_IN_USE would mean a public key or certificate object survived.
    X509Certificate regenerated =
        token.generateKeyPair(label, HsmKeyType.RSA_2048, rootCa).certificate();
    assertThat(regenerated.getSubjectX500Principal().getName()).isEqualTo("CN=" + label);
  }

  @Test
  void deleteKey_absentLabel_failsWithKeyAbsent() {
    assertThatThrownBy(() -> token.deleteKey("never-generated"))
        .isInstanceOfSatisfying(
            HsmKeyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.KEY_ABSENT));
  }
}
