package net.appstore.catalog.config;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import net.appstore.catalog.core.blocklist.BlocklistFiles;
import net.appstore.catalog.core.blocklist.BlocklistPublisher;
import net.appstore.catalog.core.blocklist.BlocklistSignatureCheck;
import net.appstore.catalog.core.blocklist.HttpsBlocklistSigner;
import net.appstore.catalog.core.blocklist.HttpsJwksSource;
import net.appstore.receipt.keys.CertificateChainValidator;
import org.jdbi.v3.core.Jdbi;

/**
 * The blocklist: where the published files live, what publication refuses, and the signer.
 * Publication needs {@code signerUrl} and {@code signerJwksUrl}; without them the service still
 * serves whatever is published in {@code directory} (e.g. by the {@code blocklist-publish} command
 * on another host), and the schedule is off.
 */
public class BlocklistFactory {

  @NotEmpty private String directory = "blocklist";

  /** {@code iss} of the blocklist: the catalog's public base URL. */
  @NotEmpty private String issuer = "https://localhost:18643";

  @Min(2)
  private int keepVersions = 10;

  @DecimalMin("0.0")
  @DecimalMax("1.0")
  private double maxDropShare = 0.10;

  /** How often the service runs the job; 0 turns the schedule off. */
  @NotNull private Duration publishEvery = Duration.minutes(10);

  /** An unchanged list is published again (new generation time) when the last is this old. */
  @NotNull private Duration republishAfter = Duration.hours(6);

  /** How often the server looks whether another process published a new version. */
  @NotNull private Duration checkEvery = Duration.seconds(1);

  /**
   * The root certificate the signing key must chain to (a PEM file's path, or the PEM text): the
   * root clients pin. Needed to publish.
   */
  private String pinnedRoot = "";

  private String signerUrl = "";
  private String signerJwksUrl = "";
  @NotNull private Duration signerTimeout = Duration.seconds(5);

  public BlocklistFiles files() {
    return new BlocklistFiles(Path.of(directory));
  }

  public BlocklistPublisher.Settings settings() {
    return new BlocklistPublisher.Settings(
        issuer, maxDropShare, keepVersions, republishAfter.toJavaDuration());
  }

  /** The publication job with the signer service (mutual TLS) and its JWKS. */
  public BlocklistPublisher buildPublisher(
      Jdbi primary, TlsClientFactory tls, ObjectMapper json, Clock clock, MetricRegistry metrics) {
    if (!canPublish()) {
      throw new IllegalStateException(
          "blocklist.signerUrl, blocklist.signerJwksUrl and blocklist.pinnedRoot are needed to"
              + " publish");
    }
    java.time.Duration timeout = signerTimeout.toJavaDuration();
    // The signer knows its callers by their client certificates; its JWKS is fetched the same way.
    javax.net.ssl.SSLContext mutual = tls.mutual();
    return new BlocklistPublisher(
        primary,
        new HttpsBlocklistSigner(URI.create(signerUrl), mutual, timeout, json),
        new BlocklistSignatureCheck(
            new HttpsJwksSource(URI.create(signerJwksUrl), mutual, timeout),
            new CertificateChainValidator(pinnedRootCertificate()),
            clock,
            json),
        files(),
        settings(),
        clock,
        json,
        metrics);
  }

  public boolean canPublish() {
    return isSet(signerUrl) && isSet(signerJwksUrl) && isSet(pinnedRoot);
  }

  /** Whether a signer is configured but the root to check its key against is not. */
  public boolean signerWithoutPinnedRoot() {
    return isSet(signerUrl) && isSet(signerJwksUrl) && !isSet(pinnedRoot);
  }

  private static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }

  private X509Certificate pinnedRootCertificate() {
    String pem = pinnedRoot.strip();
    if (!pem.startsWith("-----BEGIN")) {
      try {
        pem = Files.readString(Path.of(pem), StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new IllegalStateException("blocklist.pinnedRoot: cannot read " + pinnedRoot, e);
      }
    }
    return CertificateChainValidator.readPemCertificate(pem);
  }

  public String getPinnedRoot() {
    return pinnedRoot;
  }

  public void setPinnedRoot(String pinnedRoot) {
    this.pinnedRoot = pinnedRoot;
  }

  public String getDirectory() {
    return directory;
  }

  public void setDirectory(String directory) {
    this.directory = directory;
  }

  public String getIssuer() {
    return issuer;
  }

  public void setIssuer(String issuer) {
    this.issuer = issuer;
  }

  public int getKeepVersions() {
    return keepVersions;
  }

  public void setKeepVersions(int keepVersions) {
    this.keepVersions = keepVersions;
  }

  public double getMaxDropShare() {
    return maxDropShare;
  }

  public void setMaxDropShare(double maxDropShare) {
    this.maxDropShare = maxDropShare;
  }

  public Duration getPublishEvery() {
    return publishEvery;
  }

  public void setPublishEvery(Duration publishEvery) {
    this.publishEvery = publishEvery;
  }

  public Duration getRepublishAfter() {
    return republishAfter;
  }

  public void setRepublishAfter(Duration republishAfter) {
    this.republishAfter = republishAfter;
  }

  public Duration getCheckEvery() {
    return checkEvery;
  }

  public void setCheckEvery(Duration checkEvery) {
    this.checkEvery = checkEvery;
  }

  public String getSignerUrl() {
    return signerUrl;
  }

  public void setSignerUrl(String signerUrl) {
    this.signerUrl = signerUrl;
  }

  public String getSignerJwksUrl() {
    return signerJwksUrl;
  }

  public void setSignerJwksUrl(String signerJwksUrl) {
    this.signerJwksUrl = signerJwksUrl;
  }

  public Duration getSignerTimeout() {
    return signerTimeout;
  }

  public void setSignerTimeout(Duration signerTimeout) {
    this.signerTimeout = signerTimeout;
  }
}
