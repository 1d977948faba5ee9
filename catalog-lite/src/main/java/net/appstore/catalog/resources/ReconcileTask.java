package net.appstore.catalog.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.appstore.catalog.core.purchase.Reconciler;

/**
 * Admin task {@code POST /tasks/reconcile[?dry_run=true]} on the admin port: one reconciler run
 * now, its report as JSON: {@code run_id}, {@code dry_run}, {@code charges_seen}, {@code
 * stale_checked}, {@code repaired} and {@code findings} (what is left for a person), each a list of
 * {@code {purchase_id, charge_id, kind}}.
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
    boolean dryRun = parameters.getOrDefault("dry_run", List.of()).contains("true");
    Reconciler.Report report = reconciler.run(dryRun);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("run_id", report.runId());
    answer.put("dry_run", report.dryRun());
    answer.put("charges_seen", report.chargesSeen());
    answer.put("stale_checked", report.staleChecked());
    answer.put(
        "repaired",
        report.repaired().stream()
            .map(r -> item(r.purchaseId(), r.chargeId(), r.kind().name()))
            .toList());
    answer.put(
        "findings",
        report.unresolved().stream()
            .map(u -> item(u.purchaseId(), u.chargeId(), u.kind().name()))
            .toList());
    output.println(json.writeValueAsString(answer));
  }

  private static Map<String, String> item(String purchaseId, String chargeId, String kind) {
    Map<String, String> item = new LinkedHashMap<>();
    item.put("purchase_id", purchaseId);
    item.put("charge_id", chargeId);
    item.put("kind", kind);
    return item;
  }
}
