package net.appstore.verifier;

import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** The verifier's configuration; {@code config/verifier.yml} documents every value. */
public class VerifierConfiguration extends Configuration {

  @Valid @NotNull private ReceiptPolicyFactory receipts = new ReceiptPolicyFactory();
  @Valid @NotNull private KeysFactory keys = new KeysFactory();
  @Valid @NotNull private PurchasesFactory purchases = new PurchasesFactory();

  /** The purchase replica: every lookup starts here. Read-only. */
  @Valid @NotNull private DataSourceFactory replicaDatabase = new DataSourceFactory();

  /** The primary: bounded fallback reads only. Read-only use. */
  @Valid @NotNull private DataSourceFactory primaryDatabase = new DataSourceFactory();

  public ReceiptPolicyFactory getReceipts() {
    return receipts;
  }

  public void setReceipts(ReceiptPolicyFactory receipts) {
    this.receipts = receipts;
  }

  public KeysFactory getKeys() {
    return keys;
  }

  public void setKeys(KeysFactory keys) {
    this.keys = keys;
  }

  public PurchasesFactory getPurchases() {
    return purchases;
  }

  public void setPurchases(PurchasesFactory purchases) {
    this.purchases = purchases;
  }

  public DataSourceFactory getReplicaDatabase() {
    return replicaDatabase;
  }

  public void setReplicaDatabase(DataSourceFactory replicaDatabase) {
    this.replicaDatabase = replicaDatabase;
  }

  public DataSourceFactory getPrimaryDatabase() {
    return primaryDatabase;
  }

  public void setPrimaryDatabase(DataSourceFactory primaryDatabase) {
    this.primaryDatabase = primaryDatabase;
  }
}
