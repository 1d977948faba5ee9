package net.appstore.catalog.cli;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import java.io.PrintStream;
import java.time.Clock;
import net.appstore.catalog.CatalogConfiguration;
import net.appstore.catalog.config.PurchasesFactory;
import net.appstore.catalog.core.purchase.PurchaseMetrics;
import net.appstore.catalog.core.purchase.Reconciler;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code reconcile [--dry-run] CONFIG}: one run of the same {@link Reconciler} the server schedules
 * (gateway ledger against the store's purchases, both ways), for an operator or cron. Prints what
 * it compared, every repair (with {@code --dry-run}: every repair it would make, changing nothing)
 * and every unresolved finding, each with purchase id, charge id and kind. Exit codes: {@value
 * #CLEAN} nothing left unresolved; {@value #UNRESOLVED} findings need a person (runbook
 * ops/runbooks/payments.md); {@value #FAILED} the run itself failed (gateway or database
 * unreachable, purchases not configured).
 */
public final class ReconcileCommand extends ConfiguredCommand<CatalogConfiguration> {

  public static final int CLEAN = 0;
  public static final int FAILED = 1;
  public static final int UNRESOLVED = 2;

  /** The run completed and left findings for a person: exit {@value #UNRESOLVED}. */
  public static final class UnresolvedFindingsException extends Exception {
    UnresolvedFindingsException(int count) {
      super(count + " unresolved finding(s) need a person (ops/runbooks/payments.md)");
    }
  }

  public ReconcileCommand() {
    super("reconcile", "Compare gateway charges with purchases, repair what is certain, report");
  }

  /** The process exit code for a command's fatal error. */
  public static int exitCode(Throwable error) {
    return error instanceof UnresolvedFindingsException ? UNRESOLVED : FAILED;
  }

  @Override
  public void configure(Subparser subparser) {
    super.configure(subparser);
    subparser
        .addArgument("--dry-run")
        .dest("dry_run")
        .action(Arguments.storeTrue())
        .help("compare and report only; change nothing");
  }

  @Override
  protected void run(
      Bootstrap<CatalogConfiguration> bootstrap,
      Namespace namespace,
      CatalogConfiguration configuration)
      throws Exception {
    PurchasesFactory settings = configuration.getPurchases();
    if (settings.getPaymentsUrl() == null || settings.getPaymentsUrl().isBlank()) {
      throw new IllegalStateException("purchases.paymentsUrl (PAYMENTS_URL) is not set");
    }
    boolean dryRun = Boolean.TRUE.equals(namespace.getBoolean("dry_run"));
    // The command's metrics go nowhere: the server's gauges describe the server's runs.
    MetricRegistry metrics = new MetricRegistry();
    try (DatabaseAccess db =
        new DatabaseAccess(configuration.getPrimaryDatabase(), metrics, "reconcile")) {
      Reconciler reconciler =
          settings.buildReconciler(
              settings.buildRecords(db.jdbi(), metrics),
              settings.buildGateway(bootstrap.getObjectMapper()),
              settings.buildBodies(bootstrap.getObjectMapper()),
              new PurchaseMetrics(metrics),
              Clock.systemUTC());
      Reconciler.Report report = reconciler.run(dryRun);
      print(report, reconciler, System.out);
      if (!report.unresolved().isEmpty()) {
        throw new UnresolvedFindingsException(report.unresolved().size());
      }
    }
  }

  private static void print(Reconciler.Report report, Reconciler reconciler, PrintStream out) {
    out.printf(
        "reconcile %s%s: compared %d gateway charge(s) with the store's purchases, and %d"
            + " unfinished purchase(s) older than %s with the gateway%n",
        report.runId(),
        report.dryRun() ? " (dry run: nothing changed)" : "",
        report.chargesSeen(),
        report.staleChecked(),
        reconciler.staleAfter());
    String verb = report.dryRun() ? "would repair" : "repaired";
    for (Reconciler.Repaired r : report.repaired()) {
      out.printf(
          "%s  purchase %s  charge %s  %s%n", verb, r.purchaseId(), dash(r.chargeId()), r.kind());
    }
    for (Reconciler.Unresolved u : report.unresolved()) {
      out.printf(
          "UNRESOLVED  purchase %s  charge %s  %s%n", u.purchaseId(), dash(u.chargeId()), u.kind());
    }
    out.printf(
        "%d %s, %d unresolved%n", report.repaired().size(), verb, report.unresolved().size());
  }

  private static String dash(String value) {
    return value == null ? "-" : value;
  }

  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    cli.getStdErr().println("reconcile: " + e.getMessage());
  }
}
