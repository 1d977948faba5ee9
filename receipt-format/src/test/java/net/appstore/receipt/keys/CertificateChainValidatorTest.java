package net.appstore.receipt.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;
import net.appstore.receipt.jose.SigningAlgorithm;
import net.appstore.receipt.testing.Pem;
import net.appstore.receipt.testing.TestCertificates;
import net.appstore.receipt.testing.TestCertificates.Usage;
import net.appstore.receipt.testing.TestVectors;
import org.junit.jupiter.api.Test;

class CertificateChainValidatorTest {

  private static final Instant ROOT_FROM = Instant.parse("2020-01-01T00:00:00Z");
  private static final Instant ROOT_TO = Instant.parse("2040-01-01T00:00:00Z");
  private static final Instant LEAF_FROM = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant LEAF_TO = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant DURING = Instant.parse("2025-06-01T00:00:00Z");

  private final KeyPair rootKeys = ecKeys();
  private final X509Certificate root =
      TestCertificates.root("root", rootKeys, ROOT_FROM, ROOT_TO, 1);
  private final CertificateChainValidator validator = new CertificateChainValidator(root);
  private final KeyPair leafKeys = ecKeys();

  @Test
  void validate_leafIssuedByPinnedRoot_passes() {
    PublishedKey key = key(leaf(leafKeys, root, rootKeys, Usage.SIGNING));

    assertThatCode(() -> validator.validate(key, DURING)).doesNotThrowAnyException();
  }

  @Test
  void validate_chainThatIncludesThePinnedRoot_passes() {
    PublishedKey key =
        new PublishedKey(
            "k",
            SigningAlgorithm.ES256,
            leafKeys.getPublic(),
            List.of(leaf(leafKeys, root, rootKeys, Usage.SIGNING), root));

    assertThatCode(() -> validator.validate(key, DURING)).doesNotThrowAnyException();
  }

  @Test
  void validate_chainThroughAnIntermediate_passes() {
    KeyPair intermediateKeys = ecKeys();
    X509Certificate intermediate =
        TestCertificates.issue(
            "intermediate",
            intermediateKeys.getPublic(),
            root,
            rootKeys.getPrivate(),
            ROOT_FROM,
            ROOT_TO,
            2,
            Usage.CA);
    X509Certificate leaf = leaf(leafKeys, intermediate, intermediateKeys, Usage.SIGNING);
    PublishedKey key =
        new PublishedKey(
            "k", SigningAlgorithm.ES256, leafKeys.getPublic(), List.of(leaf, intermediate));

    assertThatCode(() -> validator.validate(key, DURING)).doesNotThrowAnyException();
  }

  @Test
  void validate_atExactlyNotBeforeAndNotAfter_passes() {
    PublishedKey key = key(leaf(leafKeys, root, rootKeys, Usage.SIGNING));

    assertThatCode(() -> validator.validate(key, LEAF_FROM)).doesNotThrowAnyException();
    assertThatCode(() -> validator.validate(key, LEAF_TO)).doesNotThrowAnyException();
  }

  @Test
  void validate_oneSecondOutsideLeafValidity_throws() {
    PublishedKey key = key(leaf(leafKeys, root, rootKeys, Usage.SIGNING));

    assertThatThrownBy(() -> validator.validate(key, LEAF_FROM.minusSeconds(1)))
        .isInstanceOf(UntrustedKeyException.class);
    assertThatThrownBy(() -> validator.validate(key, LEAF_TO.plusSeconds(1)))
        .isInstanceOf(UntrustedKeyException.class);
  }

  @Test
  void validate_pinnedRootExpiredAtDate_throws() {
    X509Certificate shortRoot =
        TestCertificates.root("root", rootKeys, ROOT_FROM, DURING.minusSeconds(1), 1);
    PublishedKey key = key(leaf(leafKeys, shortRoot, rootKeys, Usage.SIGNING));

    assertThatThrownBy(() -> new CertificateChainValidator(shortRoot).validate(key, DURING))
        .isInstanceOf(UntrustedKeyException.class);
  }

  @Test
  void validate_leafIssuedByAnotherRoot_throws() {
    KeyPair otherKeys = ecKeys();
    X509Certificate otherRoot = TestCertificates.root("root", otherKeys, ROOT_FROM, ROOT_TO, 1);
    PublishedKey key = key(leaf(leafKeys, otherRoot, otherKeys, Usage.SIGNING));

    assertThatThrownBy(() -> validator.validate(key, DURING))
        .isInstanceOf(UntrustedKeyException.class);
  }

  @Test
  void validate_leafCertifiesAnotherKey_throws() {
    X509Certificate leafForOtherKey = leaf(ecKeys(), root, rootKeys, Usage.SIGNING);
    PublishedKey key =
        new PublishedKey(
            "k", SigningAlgorithm.ES256, leafKeys.getPublic(), List.of(leafForOtherKey));

    assertThatThrownBy(() -> validator.validate(key, DURING))
        .isInstanceOf(UntrustedKeyException.class)
        .hasMessageContaining("another key");
  }

  @Test
  void validate_leafIsACertificateAuthority_throws() {
    PublishedKey key = key(leaf(leafKeys, root, rootKeys, Usage.CA));

    assertThatThrownBy(() -> validator.validate(key, DURING))
        .isInstanceOf(UntrustedKeyException.class)
        .hasMessageContaining("end-entity");
  }

  @Test
  void validate_leafWithoutDigitalSignatureUsage_throws() {
    PublishedKey key = key(leaf(leafKeys, root, rootKeys, Usage.NO_DIGITAL_SIGNATURE));

    assertThatThrownBy(() -> validator.validate(key, DURING))
        .isInstanceOf(UntrustedKeyException.class);
  }

  @Test
  void remembering_keyPassedOnce_stillRefusedOutsideItsValidityAndPassesAtItsEdges() {
    CertificateChainValidator remembering = CertificateChainValidator.remembering(root);
    PublishedKey key = key(leaf(leafKeys, root, rootKeys, Usage.SIGNING));

    assertThatCode(() -> remembering.validate(key, DURING)).doesNotThrowAnyException();
    assertThatThrownBy(() -> remembering.validate(key, LEAF_TO.plusSeconds(1)))
        .isInstanceOf(UntrustedKeyException.class);
    assertThatThrownBy(() -> remembering.validate(key, LEAF_FROM.minusSeconds(1)))
        .isInstanceOf(UntrustedKeyException.class);
    assertThatThrownBy(() -> remembering.validate(key, Instant.MAX))
        .isInstanceOf(UntrustedKeyException.class);
    assertThatCode(() -> remembering.validate(key, LEAF_TO)).doesNotThrowAnyException();
    assertThatCode(() -> remembering.validate(key, LEAF_FROM)).doesNotThrowAnyException();
  }

  @Test
  void remembering_intermediateExpiresBeforeTheLeaf_refusedAfterTheIntermediateExpired() {
    CertificateChainValidator remembering = CertificateChainValidator.remembering(root);
    KeyPair intermediateKeys = ecKeys();
    Instant intermediateTo = DURING.plusSeconds(86_400);
    X509Certificate intermediate =
        TestCertificates.issue(
            "intermediate",
            intermediateKeys.getPublic(),
            root,
            rootKeys.getPrivate(),
            ROOT_FROM,
            intermediateTo,
            2,
            Usage.CA);
    PublishedKey key =
        new PublishedKey(
            "k",
            SigningAlgorithm.ES256,
            leafKeys.getPublic(),
            List.of(leaf(leafKeys, intermediate, intermediateKeys, Usage.SIGNING), intermediate));

    assertThatCode(() -> remembering.validate(key, DURING)).doesNotThrowAnyException();
    assertThatThrownBy(() -> remembering.validate(key, intermediateTo.plusSeconds(1)))
        .isInstanceOf(UntrustedKeyException.class);
  }

  @Test
  void remembering_anotherKeyAfterOnePassed_isValidatedInFull() {
    CertificateChainValidator remembering = CertificateChainValidator.remembering(root);
    PublishedKey good = key(leaf(leafKeys, root, rootKeys, Usage.SIGNING));
    KeyPair otherKeys = ecKeys();
    X509Certificate otherRoot = TestCertificates.root("root", otherKeys, ROOT_FROM, ROOT_TO, 1);
    PublishedKey untrusted = key(leaf(leafKeys, otherRoot, otherKeys, Usage.SIGNING));

    assertThatCode(() -> remembering.validate(good, DURING)).doesNotThrowAnyException();
    assertThatThrownBy(() -> remembering.validate(untrusted, DURING))
        .isInstanceOf(UntrustedKeyException.class);
    assertThatCode(() -> remembering.validate(good, DURING)).doesNotThrowAnyException();
  }

  @Test
  void validate_dateBeyondJavaUtilDate_throwsUntrustedNotIllegalArgument() {
    PublishedKey key = key(leaf(leafKeys, root, rootKeys, Usage.SIGNING));

    assertThatThrownBy(() -> validator.validate(key, Instant.MAX))
        .isInstanceOf(UntrustedKeyException.class);
  }

  @Test
  void constructor_rootNotSelfSigned_throws() {
    X509Certificate intermediate =
        TestCertificates.issue(
            "intermediate",
            ecKeys().getPublic(),
            root,
            rootKeys.getPrivate(),
            ROOT_FROM,
            ROOT_TO,
            2,
            Usage.CA);

    assertThatThrownBy(() -> new CertificateChainValidator(intermediate))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("self-signed");
  }

  @Test
  void readPemCertificate_committedRoot_isAcceptedAsPinnedRoot() {
    X509Certificate committed = TestVectors.load().root();

    assertThat(CertificateChainValidator.readPemCertificate(Pem.certificate(committed)))
        .isEqualTo(committed);
    assertThatCode(() -> new CertificateChainValidator(committed)).doesNotThrowAnyException();
  }

  private static X509Certificate leaf(
      KeyPair subject, X509Certificate issuer, KeyPair issuerKeys, Usage usage) {
    return TestCertificates.issue(
        "leaf",
        subject.getPublic(),
        issuer,
        issuerKeys.getPrivate(),
        LEAF_FROM,
        LEAF_TO,
        10,
        usage);
  }

  private PublishedKey key(X509Certificate leaf) {
    return new PublishedKey("k", SigningAlgorithm.ES256, leafKeys.getPublic(), List.of(leaf));
  }

  private static KeyPair ecKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
