package net.appstore.catalog.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for outbound calls (identity provider JWKS, signer): the trust store of the deployment's CA
 * (PKCS#12) and, for mutual TLS to the signer, the catalog's client key store.
 */
public class TlsClientFactory {

  /** PKCS#12 trust store; empty: the JDK's default trust anchors. */
  private String trustStorePath = "";

  private String trustStorePassword = "";

  /** PKCS#12 key store with the catalog's client certificate; empty: no client certificate. */
  private String keyStorePath = "";

  private String keyStorePassword = "";

  /** A context trusting the configured CA, presenting no client certificate. */
  public SSLContext serverAuthOnly() {
    return build(false);
  }

  /** A context trusting the configured CA and presenting the catalog's client certificate. */
  public SSLContext mutual() {
    if (keyStorePath == null || keyStorePath.isBlank()) {
      throw new IllegalStateException("tlsClient.keyStorePath is needed for mutual TLS");
    }
    return build(true);
  }

  private SSLContext build(boolean withClientKey) {
    try {
      TrustManagerFactory trust = null;
      if (trustStorePath != null && !trustStorePath.isBlank()) {
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(trustStorePath, trustStorePassword));
      }
      KeyManagerFactory keys = null;
      if (withClientKey) {
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(keyStorePath, keyStorePassword), keyStorePassword.toCharArray());
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          keys == null ? null : keys.getKeyManagers(),
          trust == null ? null : trust.getTrustManagers(),
          null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up outbound TLS: " + e.getMessage(), e);
    }
  }

  private static KeyStore load(String path, String password)
      throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(Path.of(path))) {
      store.load(in, password == null ? new char[0] : password.toCharArray());
    }
    return store;
  }

  public String getTrustStorePath() {
    return trustStorePath;
  }

  public void setTrustStorePath(String trustStorePath) {
    this.trustStorePath = trustStorePath;
  }

  public String getTrustStorePassword() {
    return trustStorePassword;
  }

  public void setTrustStorePassword(String trustStorePassword) {
    this.trustStorePassword = trustStorePassword;
  }

  public String getKeyStorePath() {
    return keyStorePath;
  }

  public void setKeyStorePath(String keyStorePath) {
    this.keyStorePath = keyStorePath;
  }

  public String getKeyStorePassword() {
    return keyStorePassword;
  }

  public void setKeyStorePassword(String keyStorePassword) {
    this.keyStorePassword = keyStorePassword;
  }
}
