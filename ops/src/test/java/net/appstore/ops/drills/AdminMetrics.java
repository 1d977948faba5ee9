package net.appstore.ops.drills;

import java.util.HashMap;
import java.util.Map;

/**
 * A service's metrics as its monitoring scrapes them: {@code /metrics/prometheus} on the admin port
 * (Dropwizard metrics, exported without labels), read as numbers by name.
 */
public final class AdminMetrics {

  private final Map<String, Double> values;

  private AdminMetrics(Map<String, Double> values) {
    this.values = values;
  }

  /** Scrapes the admin port named by {@code adminUrlName}, e.g. {@code VERIFIER_ADMIN_URL}. */
  public static AdminMetrics scrape(DrillStack stack, String adminUrlName) throws Exception {
    StackHttp.Reply reply = stack.https().get(stack.url(adminUrlName, "/metrics/prometheus"));
    if (reply.status() != 200) {
      throw new AssertionError(adminUrlName + " metrics: " + reply.abbreviated());
    }
    Map<String, Double> values = new HashMap<>();
    for (String line : reply.body().split("\n")) {
      int space = line.lastIndexOf(' ');
      if (line.startsWith("#") || space <= 0) {
        continue;
      }
      try {
        values.put(line.substring(0, space).trim(), Double.parseDouble(line.substring(space + 1)));
      } catch (NumberFormatException e) {
        // not a sample line
      }
    }
    return new AdminMetrics(values);
  }

  /** The metric's value; 0 when the service has not registered it yet (counters appear lazily). */
  public double value(String name) {
    return values.getOrDefault(name, 0.0);
  }

  /** Reads one metric of one service now. */
  public static double read(DrillStack stack, String adminUrlName, String name) throws Exception {
    return scrape(stack, adminUrlName).value(name);
  }
}
