package net.appstore.verifier.resources;

import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import net.appstore.receipt.keys.KeySourceUnavailableException;
import net.appstore.receipt.keys.PublishedKey;
import net.appstore.verifier.core.CachedKeySource;

/**
 * Admin {@code POST /tasks/refresh-keys}: fetches the JWKS now, ignoring the refresh schedule and
 * throttle, and prints the kids in use. For operators after an emergency key retirement, so
 * verifiers stop accepting the key at once instead of within {@code refreshEvery}.
 */
public final class RefreshKeysTask extends Task {

  private final CachedKeySource keys;

  public RefreshKeysTask(CachedKeySource keys) {
    super("refresh-keys");
    this.keys = keys;
  }

  @Override
  public void execute(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
    try {
      List<String> kids = keys.refreshNow().keys().stream().map(PublishedKey::kid).toList();
      output.println("key set refreshed: " + kids);
    } catch (KeySourceUnavailableException e) {
      output.println("key set NOT refreshed: " + e.getMessage());
      throw e;
    }
  }
}
