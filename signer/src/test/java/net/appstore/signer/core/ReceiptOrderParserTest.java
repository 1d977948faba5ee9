package net.appstore.signer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import net.appstore.receipt.ReceiptType;
import net.appstore.signer.api.FieldError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every validation rule of {@code POST /v1/receipts}, at a fixed clock. */
class ReceiptOrderParserTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-01-15T12:00:00Z");
  private static final Duration SKEW = Duration.ofSeconds(60);
  private final ReceiptOrderParser parser =
      new ReceiptOrderParser(Clock.fixed(NOW, ZoneOffset.UTC), SKEW);

  static ObjectNode valid() {
    ObjectNode body = JSON.createObjectNode();
    body.put("purchase_id", "3f1c2a9e-5b7d-4e8f-9a21-7c4d0e6b1f20");
    body.put("typ", "purchase-receipt");
    ObjectNode product = body.putObject("product");
    product.put("url", "https://chess.example");
    product.put("storedata", "id=1042");
    ObjectNode user = body.putObject("user");
    user.put("type", "directed-identifier");
    user.put("value", "a3f9c0d2e1b4");
    body.put("nbf", NOW.minusSeconds(600).getEpochSecond());
    ObjectNode price = body.putObject("price");
    price.put("amount", "0.99");
    price.put("currency", "USD");
    return body;
  }

  private ReceiptOrder parse(ObjectNode body) {
    return parser.parse(body.toString().getBytes(StandardCharsets.UTF_8));
  }

  private List<FieldError> errors(ObjectNode body) {
    try {
      parse(body);
    } catch (InvalidRequestException e) {
      return e.errors();
    }
    throw new AssertionError("accepted: " + body);
  }

  @Test
  void parse_designWireExample_readsEveryField() {
    ReceiptOrder order = parse(valid());

    assertThat(order.purchaseId()).isEqualTo("3f1c2a9e-5b7d-4e8f-9a21-7c4d0e6b1f20");
    assertThat(order.typ()).isEqualTo(ReceiptType.PURCHASE);
    assertThat(order.product().url()).hasToString("https://chess.example");
    assertThat(order.product().storedata()).isEqualTo("id=1042");
    assertThat(order.user().value()).isEqualTo("a3f9c0d2e1b4");
    assertThat(order.nbf()).isEqualTo(NOW.minusSeconds(600));
    assertThat(order.price()).isEqualTo(new Price("0.99", "USD"));
    assertThat(order.iss()).isEmpty();
  }

  static Stream<Arguments> invalidRequests() {
    return Stream.of(
        bad("purchase_id", b -> b.remove("purchase_id"), "required"),
        bad("purchase_id", b -> b.put("purchase_id", ""), "must not be empty"),
        bad("purchase_id", b -> b.put("purchase_id", 42), "must be a string"),
        bad("purchase_id", b -> b.put("purchase_id", "x".repeat(65)), "longer than 64"),
        bad("purchase_id", b -> b.put("purchase_id", "-starts-with-dash"), "may hold only"),
        bad("purchase_id", b -> b.put("purchase_id", "has space"), "may hold only"),
        bad("typ", b -> b.remove("typ"), "required"),
        bad("typ", b -> b.put("typ", "PURCHASE-RECEIPT"), "must be one of"),
        bad("iss", b -> b.put("iss", 7), "must be a string"),
        bad("iss", b -> b.put("iss", "x".repeat(257)), "longer than 256"),
        bad("product", b -> b.remove("product"), "required"),
        bad("product", b -> b.put("product", "https://chess.example"), "must be a JSON object"),
        bad("product.url", b -> product(b).remove("url"), "required"),
        bad("product.url", b -> product(b).put("url", "http://chess.example"), "origin"),
        bad("product.url", b -> product(b).put("url", "https://chess.example/"), "path"),
        bad("product.url", b -> product(b).put("url", "https://chess.example?x=1"), "query"),
        bad("product.url", b -> product(b).put("url", "https://user@chess.example"), "user"),
        bad("product.url", b -> product(b).put("url", "https://Chess.example"), "lower-case"),
        bad("product.url", b -> product(b).put("url", "https://chess.example:443"), "443"),
        bad("product.url", b -> product(b).put("url", "https://chess.example:0"), "port"),
        bad("product.url", b -> product(b).put("url", "https://chess.example:65536"), "port"),
        bad("product.url", b -> product(b).put("url", "https://chess.example:080"), "port"),
        bad("product.url", b -> product(b).put("url", "app://chess.example:8080"), "no port"),
        bad("product.url", b -> product(b).put("url", "https://-chess.example"), "DNS name"),
        bad("product.url", b -> product(b).put("url", "https://" + "a".repeat(250)), "longer"),
        bad("product.storedata", b -> product(b).remove("storedata"), "required"),
        bad("product.storedata", b -> product(b).put("storedata", "é"), "printable ASCII"),
        bad("product.storedata", b -> product(b).put("storedata", "x".repeat(1025)), "longer"),
        bad("product.extra", b -> product(b).put("extra", 1), "unknown field"),
        bad("user", b -> b.remove("user"), "required"),
        bad("user.type", b -> user(b).put("type", "email"), "directed-identifier"),
        bad("user.value", b -> user(b).remove("value"), "required"),
        bad("user.value", b -> user(b).put("value", "a b"), "may hold only"),
        bad("user.value", b -> user(b).put("value", "x".repeat(257)), "longer than 256"),
        bad("nbf", b -> b.remove("nbf"), "required"),
        bad("nbf", b -> b.put("nbf", "1764150000"), "integer"),
        bad("nbf", b -> b.put("nbf", 1764150000.5), "integer"),
        bad("nbf", b -> b.put("nbf", -1), "out of range"),
        bad("nbf", b -> b.put("nbf", NOW.plusSeconds(61).getEpochSecond()), "in the future"),
        bad("price", b -> b.remove("price"), "required"),
        bad("price.amount", b -> price(b).put("amount", 0.99), "must be a string"),
        bad("price.amount", b -> price(b).put("amount", "-1.00"), "decimal"),
        bad("price.amount", b -> price(b).put("amount", "01.00"), "decimal"),
        bad("price.amount", b -> price(b).put("amount", "1e3"), "decimal"),
        bad("price.amount", b -> price(b).put("amount", "0.999"), "more decimals than USD"),
        bad("price.amount", b -> price(b).put("amount", "5.5").put("currency", "JPY"), "JPY"),
        bad("price.currency", b -> price(b).put("currency", "usd"), "ISO 4217"),
        bad("price.currency", b -> price(b).put("currency", "ZZZ"), "ISO 4217"),
        bad("price.currency", b -> price(b).remove("currency"), "required"),
        bad("unexpected", b -> b.put("unexpected", true), "unknown field"));
  }

  private static Arguments bad(String field, Consumer<ObjectNode> edit, String reasonPart) {
    return Arguments.of(field, edit, reasonPart);
  }

  private static ObjectNode product(ObjectNode body) {
    return (ObjectNode) body.get("product");
  }

  private static ObjectNode user(ObjectNode body) {
    return (ObjectNode) body.get("user");
  }

  private static ObjectNode price(ObjectNode body) {
    return (ObjectNode) body.get("price");
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("invalidRequests")
  void parse_invalidField_refusedNamingThatFieldOnly(
      String field, Consumer<ObjectNode> edit, String reasonPart) {
    ObjectNode body = valid();
    edit.accept(body);

    List<FieldError> errors = errors(body);

    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).field()).isEqualTo(field);
    assertThat(errors.get(0).reason()).contains(reasonPart);
  }

  @Test
  void parse_severalProblems_reportsEveryOne() {
    ObjectNode body = valid();
    body.remove("typ");
    product(body).put("url", "ftp://x");
    price(body).put("currency", "EURO");

    assertThat(errors(body))
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder("typ", "product.url", "price.currency");
  }

  @Test
  void parse_errors_neverEchoTheValue() {
    ObjectNode body = valid();
    user(body).put("value", "secret pseudonym");

    assertThat(errors(body).toString()).doesNotContain("secret");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://chess.example",
        "https://chess.example:8443",
        "https://127.0.0.1:18643",
        "app://chess.example",
        "https://a-b.c-d.example"
      })
  void parse_originForms_accepted(String url) {
    ObjectNode body = valid();
    product(body).put("url", url);

    assertThat(parse(body).product().url()).hasToString(url);
  }

  @Test
  void parse_nbfExactlyAtTheSkewLimit_accepted() {
    ObjectNode body = valid().put("nbf", NOW.plus(SKEW).getEpochSecond());

    assertThat(parse(body).nbf()).isEqualTo(NOW.plus(SKEW));
  }

  @Test
  void parse_zeroDecimalCurrencyWholeAmount_accepted() {
    ObjectNode body = valid();
    price(body).put("amount", "120").put("currency", "JPY");

    assertThat(parse(body).price()).isEqualTo(new Price("120", "JPY"));
  }

  @Test
  void parse_issuerNamed_kept() {
    assertThat(parse(valid().put("iss", "https://store.example")).iss())
        .contains("https://store.example");
  }

  @Test
  void parse_notAnObject_refused() {
    assertThatThrownBy(() -> parser.parse("[1]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidRequestException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{",
        "{\"typ\": \"a\", \"typ\": \"b\"}",
        "{} {}",
        "{\"a\": NaN}",
        "{/* comment */}"
      })
  void parse_notStrictJson_refusedAsABody(String body) {
    assertThatThrownBy(() -> parser.parse(body.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly(""));
  }

  @Test
  void fingerprint_sameOrderSameIssuer_equal_otherwiseDifferent() {
    ReceiptOrder order = parse(valid());
    ObjectNode cheaper = valid();
    price(cheaper).put("amount", "0.98");

    assertThat(order.fingerprint("https://a.example"))
        .isEqualTo(parse(valid()).fingerprint("https://a.example"))
        .isNotEqualTo(order.fingerprint("https://b.example"))
        .isNotEqualTo(parse(cheaper).fingerprint("https://a.example"));
  }
}
