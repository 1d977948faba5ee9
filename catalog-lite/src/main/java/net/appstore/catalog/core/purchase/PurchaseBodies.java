package net.appstore.catalog.core.purchase;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Locale;
import java.util.UUID;

/**
 * The JSON bodies purchases answer with, stored under idempotency keys and rendered again for
 * replays: the flow, the reconciler and the journal must write the very same bytes for one
 * purchase. Thread-safe.
 */
public final class PurchaseBodies {

  private final ObjectMapper json;
  private final URI downloadBase;

  public PurchaseBodies(ObjectMapper json, URI downloadBase) {
    this.json = json;
    String base = downloadBase.toString();
    this.downloadBase = URI.create(base.endsWith("/") ? base : base + "/");
  }

  /** The answer a completed purchase gives (201), with its download link. */
  public String completed(UUID id, String slug, String receipt) {
    return purchase(id, "COMPLETED", receipt, downloadUrl(slug, id));
  }

  public String purchase(UUID id, String status, String receipt, String downloadUrl) {
    ObjectNode node = json.createObjectNode();
    node.put("purchase_id", id.toString());
    node.put("status", status);
    node.put("receipt", receipt);
    node.put("download_url", downloadUrl);
    return node.toString();
  }

  /** {@code {"error", "reason", "message", "purchase_id"?}}. */
  public String error(String reason, String message, UUID id) {
    ObjectNode node = json.createObjectNode();
    node.put("error", reason.toLowerCase(Locale.ROOT).replace('_', ' '));
    node.put("reason", reason);
    node.put("message", message);
    if (id != null) {
      node.put("purchase_id", id.toString());
    }
    return node.toString();
  }

  public String downloadUrl(String slug, UUID id) {
    return downloadBase.resolve(slug + "?purchase=" + id).toString();
  }
}
