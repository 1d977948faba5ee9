package net.appstore.catalog.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import net.appstore.catalog.core.purchase.Reconciler;

/**
 * Admin task {@code POST /tasks/reconcile} on the admin port: one reconciler run now, its report as
 * JSON ({@code charges_seen}, {@code repaired}, {@code findings}).
 */
public final class ReconcileTask extends Task {

  private final Reconciler reconciler;
  private final ObjectMapper json;

  public ReconcileTask(Reconciler reconciler, ObjectMapper json) {
    super("reconcile");
    this.reconciler = reconciler;
    this.json = json;
  }

  @Override
  public void execute(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
    Reconciler.Report report = reconciler.run();
    output.println(
        json.writeValueAsString(
            Map.of(
                "charges_seen", report.chargesSeen(),
                "repaired", report.repaired(),
                "findings", report.findings())));
  }
}
