package net.appstore.signer.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.appstore.receipt.Product;
import net.appstore.receipt.ReceiptType;
import net.appstore.receipt.User;

/**
 * Reads a {@code POST /v1/receipts} body into a {@link ReceiptOrder}, as strictly as a careful
 * store would: every field required except {@code iss}, no unknown field at any level, bounded
 * lengths, product URLs that are origins ({@code https://host[:port]} or {@code app://host}, one
 * spelling per origin), a purchase time not in the future beyond the allowed skew, a decimal price
 * in an ISO 4217 currency with no more decimals than the currency has. Every problem is reported at
 * once, by field; values are never echoed.
 *
 * <p>Immutable and thread-safe; the clock is injected so boundaries can be tested.
 */
public final class ReceiptOrderParser {

  static final int MAX_PURCHASE_ID = 64;
  static final int MAX_ISS = 256;
  static final int MAX_URL = 255;
  static final int MAX_STOREDATA = 1024;
  static final int MAX_USER_VALUE = 256;

  private static final Set<String> TOP =
      Set.of("purchase_id", "typ", "product", "user", "nbf", "price", "iss");
  private static final Set<String> PRODUCT = Set.of("url", "storedata");
  private static final Set<String> USER = Set.of("type", "value");
  private static final Set<String> PRICE = Set.of("amount", "currency");

  private static final Pattern PURCHASE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]*");
  private static final Pattern PRINTABLE_ASCII = Pattern.compile("[\\x20-\\x7E]+");
  private static final Pattern USER_VALUE = Pattern.compile("[A-Za-z0-9._~+/=-]+");
  private static final Pattern AMOUNT = Pattern.compile("(0|[1-9][0-9]{0,11})(\\.([0-9]{1,4}))?");
  private static final Pattern HOST =
      Pattern.compile(
          "(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
  private static final Pattern PORT = Pattern.compile("[1-9][0-9]{0,4}");
  private static final String TYPES =
      Stream.of(ReceiptType.values())
          .map(ReceiptType::claimValue)
          .collect(Collectors.joining(", "));

  private final Clock clock;
  private final Duration maxClockSkew;

  public ReceiptOrderParser(Clock clock, Duration maxClockSkew) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxClockSkew = Objects.requireNonNull(maxClockSkew, "maxClockSkew");
  }

  /**
   * @throws InvalidRequestException listing every problem found
   */
  public ReceiptOrder parse(byte[] body) {
    return parse(StrictJson.read(body));
  }

  /**
   * @throws InvalidRequestException listing every problem found
   */
  public ReceiptOrder parse(JsonNode body) {
    JsonFields fields = new JsonFields();
    if (!body.isObject()) {
      throw InvalidRequestException.of("", "must be a JSON object");
    }
    fields.refuseUnknown(body, "", TOP);
    String purchaseId = purchaseId(body, fields);
    ReceiptType typ = typ(body, fields);
    String iss = fields.string(body, "iss", "iss", MAX_ISS, false);
    Product product = product(body, fields);
    User user = user(body, fields);
    Instant nbf = nbf(body, fields);
    Price price = price(body, fields);
    fields.throwIfAny();
    return new ReceiptOrder(purchaseId, typ, product, user, nbf, price, Optional.ofNullable(iss));
  }

  private static String purchaseId(JsonNode body, JsonFields fields) {
    String id = fields.string(body, "purchase_id", "purchase_id", MAX_PURCHASE_ID, true);
    if (id != null && !PURCHASE_ID.matcher(id).matches()) {
      fields.add("purchase_id", "may hold only letters, digits and . _ : - (not first)");
      return null;
    }
    return id;
  }

  private static ReceiptType typ(JsonNode body, JsonFields fields) {
    String value = fields.string(body, "typ", "typ", 32, true);
    if (value == null) {
      return null;
    }
    Optional<ReceiptType> typ = ReceiptType.fromClaimValue(value);
    if (typ.isEmpty()) {
      fields.add("typ", "must be one of " + TYPES);
    }
    return typ.orElse(null);
  }

  private static Product product(JsonNode body, JsonFields fields) {
    JsonNode product = fields.object(body, "product", "product", PRODUCT);
    if (product == null) {
      return null;
    }
    String url = fields.string(product, "url", "product.url", MAX_URL, true);
    if (url != null) {
      Optional<String> problem = originProblem(url);
      problem.ifPresent(reason -> fields.add("product.url", reason));
      if (problem.isPresent()) {
        url = null;
      }
    }
    String storedata =
        fields.string(product, "storedata", "product.storedata", MAX_STOREDATA, true);
    if (storedata != null && !PRINTABLE_ASCII.matcher(storedata).matches()) {
      fields.add("product.storedata", "may hold only printable ASCII characters");
      storedata = null;
    }
    return url == null || storedata == null ? null : new Product(URI.create(url), storedata);
  }

  /**
   * Why {@code url} is not an app origin, if it is not. Origins are compared byte for byte by apps
   * and verifiers, so only one spelling is accepted: lower case, no default port, no trailing
   * slash.
   */
  static Optional<String> originProblem(String url) {
    String rest;
    boolean https;
    if (url.startsWith("https://")) {
      rest = url.substring("https://".length());
      https = true;
    } else if (url.startsWith("app://")) {
      rest = url.substring("app://".length());
      https = false;
    } else {
      return Optional.of("must be an origin: https://host[:port] or app://host");
    }
    if (rest.chars().anyMatch(c -> c == '/' || c == '?' || c == '#' || c == '@' || c == '\\')) {
      return Optional.of("must be an origin, without path, query, fragment or user info");
    }
    String host = rest;
    int colon = rest.indexOf(':');
    if (colon >= 0) {
      host = rest.substring(0, colon);
      String port = rest.substring(colon + 1);
      if (!https) {
        return Optional.of("an app:// origin has no port");
      }
      if (!PORT.matcher(port).matches() || Integer.parseInt(port) > 65535) {
        return Optional.of("port must be a number from 1 to 65535 without leading zeros");
      }
      if (port.equals("443")) {
        return Optional.of("leave out the default port 443");
      }
    }
    if (!HOST.matcher(host).matches()) {
      return Optional.of("host must be a lower-case DNS name or IPv4 address");
    }
    return Optional.empty();
  }

  private static User user(JsonNode body, JsonFields fields) {
    JsonNode user = fields.object(body, "user", "user", USER);
    if (user == null) {
      return null;
    }
    String type = fields.string(user, "type", "user.type", 64, true);
    if (type != null && !User.TYPE.equals(type)) {
      fields.add("user.type", "must be " + User.TYPE);
    }
    String value = fields.string(user, "value", "user.value", MAX_USER_VALUE, true);
    if (value != null && !USER_VALUE.matcher(value).matches()) {
      fields.add("user.value", "may hold only letters, digits and . _ ~ + / = -");
      value = null;
    }
    return value == null ? null : new User(value);
  }

  private Instant nbf(JsonNode body, JsonFields fields) {
    JsonNode nbf = body.get("nbf");
    if (nbf == null || nbf.isNull()) {
      fields.add("nbf", "required");
      return null;
    }
    if (!nbf.isIntegralNumber()) {
      fields.add("nbf", "must be an integer number of seconds since the epoch");
      return null;
    }
    BigInteger seconds = nbf.bigIntegerValue();
    if (seconds.signum() <= 0 || seconds.bitLength() > 40) {
      fields.add("nbf", "out of range");
      return null;
    }
    Instant value = Instant.ofEpochSecond(seconds.longValueExact());
    if (value.isAfter(clock.instant().plus(maxClockSkew))) {
      fields.add("nbf", "is in the future (more than " + maxClockSkew.toSeconds() + " s ahead)");
      return null;
    }
    return value;
  }

  private static Price price(JsonNode body, JsonFields fields) {
    JsonNode price = fields.object(body, "price", "price", PRICE);
    if (price == null) {
      return null;
    }
    String amount = fields.string(price, "amount", "price.amount", 20, true);
    var match = amount == null ? null : AMOUNT.matcher(amount);
    if (match != null && !match.matches()) {
      fields.add("price.amount", "must be a decimal string such as \"0.99\"");
      amount = null;
    }
    String code = fields.string(price, "currency", "price.currency", 3, true);
    Currency currency = null;
    if (code != null) {
      currency = currency(code);
      if (currency == null) {
        fields.add("price.currency", "must be an ISO 4217 currency code such as \"USD\"");
      }
    }
    if (amount != null && currency != null) {
      int decimals = match.group(3) == null ? 0 : match.group(3).length();
      int allowed = currency.getDefaultFractionDigits();
      if (allowed >= 0 && decimals > allowed) {
        fields.add("price.amount", "has more decimals than " + code + " allows (" + allowed + ")");
        amount = null;
      }
    }
    return amount == null || currency == null ? null : new Price(amount, code);
  }

  private static Currency currency(String code) {
    if (!code.matches("[A-Z]{3}")) {
      return null;
    }
    try {
      return Currency.getInstance(code);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
