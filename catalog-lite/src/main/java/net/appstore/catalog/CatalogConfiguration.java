package net.appstore.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import net.appstore.catalog.config.BlocklistFactory;
import net.appstore.catalog.config.BulkheadFactory;
import net.appstore.catalog.config.CacheFactory;
import net.appstore.catalog.config.HttpCachingFactory;
import net.appstore.catalog.config.IdentityFactory;
import net.appstore.catalog.config.ListingFactory;
import net.appstore.catalog.config.PurchasesFactory;
import net.appstore.catalog.config.TlsClientFactory;

/** The catalog service's configuration ({@code config/catalog.yml}). */
public class CatalogConfiguration extends Configuration {

  /** Writes, read-your-writes and migrations. */
  @Valid @NotNull private DataSourceFactory primaryDatabase = new DataSourceFactory();

  /** Everything that may be a little stale: browsing, search, update check, statistics. */
  @Valid @NotNull private DataSourceFactory replicaDatabase = new DataSourceFactory();

  /**
   * Full-text search: a dependency of its own (F3), which may fail while browsing works. By default
   * the same database as the replica, through a pool of its own.
   */
  @Valid @NotNull private DataSourceFactory searchDatabase = new DataSourceFactory();

  @Valid @NotNull private CacheFactory cache = new CacheFactory();
  @Valid @NotNull private HttpCachingFactory httpCaching = new HttpCachingFactory();

  /** Concurrent database work for browsing, app pages, update checks and statistics. */
  @Valid @NotNull private BulkheadFactory databaseBulkhead = BulkheadFactory.of(8, "200ms", "5s");

  /** Concurrent searches, apart from browsing. */
  @Valid @NotNull private BulkheadFactory searchBulkhead = BulkheadFactory.of(4, "100ms", "10s");

  /** Concurrent writes and own-review reads on the primary. */
  @Valid @NotNull private BulkheadFactory primaryBulkhead = BulkheadFactory.of(4, "500ms", "5s");

  @Valid @NotNull private ListingFactory listing = new ListingFactory();
  @Valid @NotNull private IdentityFactory identity = new IdentityFactory();
  @Valid @NotNull private TlsClientFactory tlsClient = new TlsClientFactory();
  @Valid @NotNull private BlocklistFactory blocklist = new BlocklistFactory();
  @Valid @NotNull private PurchasesFactory purchases = new PurchasesFactory();

  @JsonProperty
  public PurchasesFactory getPurchases() {
    return purchases;
  }

  @JsonProperty
  public void setPurchases(PurchasesFactory purchases) {
    this.purchases = purchases;
  }

  @JsonProperty
  public DataSourceFactory getPrimaryDatabase() {
    return primaryDatabase;
  }

  @JsonProperty
  public void setPrimaryDatabase(DataSourceFactory primaryDatabase) {
    this.primaryDatabase = primaryDatabase;
  }

  @JsonProperty
  public DataSourceFactory getReplicaDatabase() {
    return replicaDatabase;
  }

  @JsonProperty
  public void setReplicaDatabase(DataSourceFactory replicaDatabase) {
    this.replicaDatabase = replicaDatabase;
  }

  @JsonProperty
  public DataSourceFactory getSearchDatabase() {
    return searchDatabase;
  }

  @JsonProperty
  public void setSearchDatabase(DataSourceFactory searchDatabase) {
    this.searchDatabase = searchDatabase;
  }

  @JsonProperty
  public CacheFactory getCache() {
    return cache;
  }

  @JsonProperty
  public void setCache(CacheFactory cache) {
    this.cache = cache;
  }

  @JsonProperty
  public HttpCachingFactory getHttpCaching() {
    return httpCaching;
  }

  @JsonProperty
  public void setHttpCaching(HttpCachingFactory httpCaching) {
    this.httpCaching = httpCaching;
  }

  @JsonProperty
  public BulkheadFactory getDatabaseBulkhead() {
    return databaseBulkhead;
  }

  @JsonProperty
  public void setDatabaseBulkhead(BulkheadFactory databaseBulkhead) {
    this.databaseBulkhead = databaseBulkhead;
  }

  @JsonProperty
  public BulkheadFactory getSearchBulkhead() {
    return searchBulkhead;
  }

  @JsonProperty
  public void setSearchBulkhead(BulkheadFactory searchBulkhead) {
    this.searchBulkhead = searchBulkhead;
  }

  @JsonProperty
  public BulkheadFactory getPrimaryBulkhead() {
    return primaryBulkhead;
  }

  @JsonProperty
  public void setPrimaryBulkhead(BulkheadFactory primaryBulkhead) {
    this.primaryBulkhead = primaryBulkhead;
  }

  @JsonProperty
  public ListingFactory getListing() {
    return listing;
  }

  @JsonProperty
  public void setListing(ListingFactory listing) {
    this.listing = listing;
  }

  @JsonProperty
  public IdentityFactory getIdentity() {
    return identity;
  }

  @JsonProperty
  public void setIdentity(IdentityFactory identity) {
    this.identity = identity;
  }

  @JsonProperty
  public TlsClientFactory getTlsClient() {
    return tlsClient;
  }

  @JsonProperty
  public void setTlsClient(TlsClientFactory tlsClient) {
    this.tlsClient = tlsClient;
  }

  @JsonProperty
  public BlocklistFactory getBlocklist() {
    return blocklist;
  }

  @JsonProperty
  public void setBlocklist(BlocklistFactory blocklist) {
    this.blocklist = blocklist;
  }
}
