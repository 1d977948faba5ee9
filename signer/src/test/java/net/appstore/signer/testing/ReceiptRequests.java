package net.appstore.signer.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;

/** Request bodies for {@code POST /v1/receipts}: the wire example of DESIGN.md, then edited. */
public final class ReceiptRequests {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ReceiptRequests() {}

  /** A valid request for a new purchase, bought a minute ago. */
  public static ObjectNode valid() {
    ObjectNode body = JSON.createObjectNode();
    body.put("purchase_id", UUID.randomUUID().toString());
    body.put("typ", "purchase-receipt");
    ObjectNode product = body.putObject("product");
    product.put("url", "https://chess.example");
    product.put("storedata", "id=1042");
    ObjectNode user = body.putObject("user");
    user.put("type", "directed-identifier");
    user.put("value", "a3f9c0d2e1b4");
    body.put("nbf", Instant.now().minusSeconds(60).getEpochSecond());
    ObjectNode price = body.putObject("price");
    price.put("amount", "0.99");
    price.put("currency", "USD");
    return body;
  }
}
