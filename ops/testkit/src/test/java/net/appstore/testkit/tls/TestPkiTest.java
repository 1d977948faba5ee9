package net.appstore.testkit.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPkiTest {

  @Test
  void create_serverAndClient_chainToTheCaWithTheRightUsages(@TempDir Path dir) throws Exception {
    TestPki pki = TestPki.create(dir);
    Path client = pki.issueClient("store-caller");

    X509Certificate ca = (X509Certificate) load(pki.trustStore()).getCertificate("ca");
    Certificate[] server = load(pki.serverKeyStore()).getCertificateChain("server");
    Certificate[] caller = load(client).getCertificateChain("store-caller");

    assertThat(server).hasSize(2);
    X509Certificate leaf = (X509Certificate) server[0];
    leaf.verify(ca.getPublicKey());
    List<Object> names = new ArrayList<>();
    leaf.getSubjectAlternativeNames().forEach(entry -> names.add(entry.get(1)));
    assertThat(names).contains("localhost", "127.0.0.1");
    assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");

    X509Certificate callerLeaf = (X509Certificate) caller[0];
    callerLeaf.verify(ca.getPublicKey());
    assertThat(callerLeaf.getSubjectX500Principal().getName()).isEqualTo("CN=store-caller");
    assertThat(callerLeaf.getExtendedKeyUsage()).isEqualTo(List.of("1.3.6.1.5.5.7.3.2"));
    assertThat(Files.readString(pki.caPem())).startsWith("-----BEGIN CERTIFICATE-----");
  }

  private static KeyStore load(Path path) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(path)) {
      store.load(in, TestPki.PASSWORD.toCharArray());
    }
    return store;
  }
}
