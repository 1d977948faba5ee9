package net.appstore.catalog.config;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Clock;
import net.appstore.catalog.CatalogApplication;
import net.appstore.catalog.core.purchase.HttpPaymentGateway;
import net.appstore.catalog.core.purchase.PaymentGateway;
import net.appstore.catalog.core.purchase.PurchaseBodies;
import net.appstore.catalog.core.purchase.PurchaseMetrics;
import net.appstore.catalog.core.purchase.Reconciler;
import net.appstore.catalog.db.PurchaseRecords;
import org.jdbi.v3.core.Jdbi;

/**
 * The purchase flow: where the signer and the payment gateway are, their timeouts (below the
 * store's own, F29), the directed-identifier secret, and the completion journal. Purchases are
 * answered 503 until both the signer and the gateway are configured.
 */
public class PurchasesFactory {

  private String signerUrl = "";
  @NotNull private Duration signerTimeout = Duration.seconds(3);
  private String paymentsUrl = "";
  @NotNull private Duration paymentsTimeout = Duration.seconds(3);
  @NotNull private String directedIdSecret = "";
  @NotNull private String journalFile = "purchase-journal/completions.jsonl";
  @NotNull private Duration replayEvery = Duration.seconds(5);
  @NotNull private String downloadBaseUrl = "https://localhost:18643/downloads/";
  @NotNull private Duration retryAfter = Duration.seconds(5);

  /** How often the reconciler runs inside the server; 0: only on demand (admin task). */
  @NotNull private Duration reconcileEvery = Duration.minutes(5);

  /**
   * The store's own client certificate towards the signer (a caller allowed to sign purchase
   * receipts), kept apart from the catalog's blocklist identity so that neither can do the other's
   * signing. Empty path: the catalog's {@code tlsClient} identity is used.
   */
  private String signerKeyStorePath = "";

  private String signerKeyStorePassword = "";

  public String getSignerKeyStorePath() {
    return signerKeyStorePath;
  }

  public void setSignerKeyStorePath(String signerKeyStorePath) {
    this.signerKeyStorePath = signerKeyStorePath;
  }

  public String getSignerKeyStorePassword() {
    return signerKeyStorePassword;
  }

  public void setSignerKeyStorePassword(String signerKeyStorePassword) {
    this.signerKeyStorePassword = signerKeyStorePassword;
  }

  /** The TLS client identity the purchase flow presents to the signer. */
  public TlsClientFactory signerIdentity(TlsClientFactory catalogIdentity) {
    if (signerKeyStorePath == null || signerKeyStorePath.isBlank()) {
      return catalogIdentity;
    }
    TlsClientFactory store = new TlsClientFactory();
    store.setTrustStorePath(catalogIdentity.getTrustStorePath());
    store.setTrustStorePassword(catalogIdentity.getTrustStorePassword());
    store.setKeyStorePath(signerKeyStorePath);
    store.setKeyStorePassword(signerKeyStorePassword);
    return store;
  }

  /** An unfinished purchase this old has no attempt in flight (well above every timeout). */
  @NotNull private Duration staleAfter = Duration.minutes(10);

  /**
   * An idempotency key left unanswered this long belongs to a request whose process died between
   * reserving and answering: a retry under the key takes the purchase over (carries it on from its
   * real state) instead of 409. Must exceed the longest a request can run (signer timeout + four
   * gateway calls + database waits).
   */
  @NotNull private Duration takeOverAfter = Duration.minutes(1);

  /**
   * The purchase flow's share of the primary's connections: at most {@code maxConcurrent} purchase
   * transactions at once; excess waits {@code maxWait}, then 503 + Retry-After before anything is
   * charged.
   */
  @Valid @NotNull private BulkheadFactory databaseBulkhead = BulkheadFactory.of(8, "500ms", "5s");

  public Duration getTakeOverAfter() {
    return takeOverAfter;
  }

  public void setTakeOverAfter(Duration takeOverAfter) {
    this.takeOverAfter = takeOverAfter;
  }

  public BulkheadFactory getDatabaseBulkhead() {
    return databaseBulkhead;
  }

  public void setDatabaseBulkhead(BulkheadFactory databaseBulkhead) {
    this.databaseBulkhead = databaseBulkhead;
  }

  /** A takeover while the first request could still be running would race it. */
  @ValidationMethod(
      message = "purchases.takeOverAfter must exceed signerTimeout + 4 x paymentsTimeout")
  @JsonIgnore
  public boolean isTakeOverAfterLongerThanARequest() {
    return takeOverAfter.toMilliseconds()
        > signerTimeout.toMilliseconds() + 4 * paymentsTimeout.toMilliseconds();
  }

  public Duration getReconcileEvery() {
    return reconcileEvery;
  }

  public void setReconcileEvery(Duration reconcileEvery) {
    this.reconcileEvery = reconcileEvery;
  }

  public Duration getStaleAfter() {
    return staleAfter;
  }

  public void setStaleAfter(Duration staleAfter) {
    this.staleAfter = staleAfter;
  }

  /** The HTTP client of the payment gateway at {@code paymentsUrl}. */
  public HttpPaymentGateway buildGateway(ObjectMapper json) {
    return new HttpPaymentGateway(URI.create(paymentsUrl), paymentsTimeout.toJavaDuration(), json);
  }

  /** The store's purchase records on the primary, under the purchase flow's bulkhead. */
  public PurchaseRecords buildRecords(Jdbi primary, MetricRegistry metrics) {
    return new PurchaseRecords(
        primary,
        databaseBulkhead.build(
            "purchase-db", CatalogApplication.DATABASE_UNAVAILABLE, "PURCHASE_DB_BUSY", metrics));
  }

  public PurchaseBodies buildBodies(ObjectMapper json) {
    return new PurchaseBodies(json, URI.create(downloadBaseUrl));
  }

  /** The reconciler the server schedules and the {@code reconcile} command runs. */
  public Reconciler buildReconciler(
      PurchaseRecords records,
      PaymentGateway gateway,
      PurchaseBodies bodies,
      PurchaseMetrics metrics,
      Clock clock) {
    return new Reconciler(records, gateway, bodies, metrics, clock, staleAfter.toJavaDuration());
  }

  public boolean enabled() {
    return signerUrl != null
        && !signerUrl.isBlank()
        && paymentsUrl != null
        && !paymentsUrl.isBlank();
  }

  public String getSignerUrl() {
    return signerUrl;
  }

  public void setSignerUrl(String signerUrl) {
    this.signerUrl = signerUrl;
  }

  public Duration getSignerTimeout() {
    return signerTimeout;
  }

  public void setSignerTimeout(Duration signerTimeout) {
    this.signerTimeout = signerTimeout;
  }

  public String getPaymentsUrl() {
    return paymentsUrl;
  }

  public void setPaymentsUrl(String paymentsUrl) {
    this.paymentsUrl = paymentsUrl;
  }

  public Duration getPaymentsTimeout() {
    return paymentsTimeout;
  }

  public void setPaymentsTimeout(Duration paymentsTimeout) {
    this.paymentsTimeout = paymentsTimeout;
  }

  public String getDirectedIdSecret() {
    return directedIdSecret;
  }

  public void setDirectedIdSecret(String directedIdSecret) {
    this.directedIdSecret = directedIdSecret;
  }

  public String getJournalFile() {
    return journalFile;
  }

  public void setJournalFile(String journalFile) {
    this.journalFile = journalFile;
  }

  public Duration getReplayEvery() {
    return replayEvery;
  }

  public void setReplayEvery(Duration replayEvery) {
    this.replayEvery = replayEvery;
  }

  public String getDownloadBaseUrl() {
    return downloadBaseUrl;
  }

  public void setDownloadBaseUrl(String downloadBaseUrl) {
    this.downloadBaseUrl = downloadBaseUrl;
  }

  public Duration getRetryAfter() {
    return retryAfter;
  }

  public void setRetryAfter(Duration retryAfter) {
    this.retryAfter = retryAfter;
  }
}
