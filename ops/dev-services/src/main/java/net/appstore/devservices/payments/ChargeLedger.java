package net.appstore.devservices.payments;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway's books: every charge and refund ever recorded, durable in a {@link LedgerFile}, and
 * the idempotency rules over them. An idempotency key names exactly one request (a charge or a
 * refund) forever: the same request again gets the stored result, any other request with that key
 * is refused.
 *
 * <p>Thread-safe: every operation holds the monitor, including the fsync of the line it appends, so
 * a request is answered only once its entry is durable and concurrent requests with one key see
 * each other. An append and fsync takes about 0.2 ms on the development machine: this one lock caps
 * the simulator at some thousands of charges per second.
 */
final class ChargeLedger implements Closeable {

  /** Result of a create request: the entry, and whether it was recorded by an earlier request. */
  record Recorded<T>(T entry, boolean replayed) {}

  /** A charge with its refund (null when not refunded): its current state. */
  record ChargeState(Charge charge, Refund refund) {
    Map<String, Object> toJson() {
      return charge.toJson(refund);
    }
  }

  /** One page of charges in ledger order, and whether more match after it. */
  record Page(List<ChargeState> charges, boolean hasMore) {}

  private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
  private static final int ID_LENGTH = 24;

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final List<Charge> charges = new ArrayList<>();
  private final Map<String, Integer> positionById = new HashMap<>();
  private final Map<String, Refund> refundByChargeId = new HashMap<>();
  private final Map<String, Object> entryByKey = new HashMap<>();
  private final Set<String> ids = new HashSet<>();
  private LedgerFile file;

  private ChargeLedger(Clock clock) {
    this.clock = clock;
  }

  /**
   * Opens the ledger in {@code dataDir}, replaying what it holds.
   *
   * @throws IllegalStateException when the ledger is in use or corrupt
   */
  static ChargeLedger open(Path dataDir, Clock clock, EventLog log) throws IOException {
    ChargeLedger ledger = new ChargeLedger(clock);
    ledger.file = LedgerFile.open(dataDir, ledger::replay, log);
    ledger.warmUp();
    return ledger;
  }

  /**
   * Runs the charge path once without recording anything, so that the first real charge after a
   * start is not slowed by class loading and random seeding: on a cold JVM that took longer than
   * the short client timeouts tests use, and a test could not tell that delay from the faults.
   */
  private void warmUp() {
    Charge sample =
        new Charge(
            newId("ch_"),
            "warm-up",
            ChargeRequest.parse(
                Map.of("amount", "1.00", "currency", "EUR", "metadata", Map.of("k", "v"))),
            ChargeStatus.SUCCEEDED,
            now(),
            List.of());
    try {
      Map<String, Object> line = LedgerFile.parseLine(LedgerFile.formatLine(sample.toLedger()));
      Charge.fromLedger(line).toJson(null);
    } catch (ParseException e) {
      throw new IllegalStateException("the simulator cannot read its own ledger format", e);
    }
  }

  synchronized Path path() {
    return file.path();
  }

  /**
   * Records a new charge under {@code key}, or returns the one recorded by an identical earlier
   * request.
   *
   * @param decline record it declined (nothing charged) instead of succeeded
   * @param faults the faults on now, noted in the ledger line
   * @throws ApiException 422 when the key was used for a different request
   * @throws IOException when the ledger cannot be written; the charge may or may not be recorded
   */
  synchronized Recorded<Charge> charge(
      String key, ChargeRequest request, boolean decline, List<String> faults) throws IOException {
    Object earlier = entryByKey.get(key);
    if (earlier instanceof Refund refund) {
      throw ApiException.idempotencyKeyReused(
          "Idempotency-Key \"" + key + "\" was used for refund " + refund.id());
    }
    if (earlier instanceof Charge charge) {
      if (!charge.request().equals(request)) {
        throw ApiException.idempotencyKeyReused(
            "Idempotency-Key \""
                + key
                + "\" was used for charge "
                + charge.id()
                + " with different "
                + differences(charge.request(), request));
      }
      return new Recorded<>(charge, true);
    }
    Charge charge =
        new Charge(
            newId("ch_"),
            key,
            request,
            decline ? ChargeStatus.DECLINED : ChargeStatus.SUCCEEDED,
            now(),
            faults);
    file.append(charge.toLedger());
    index(charge);
    return new Recorded<>(charge, false);
  }

  /**
   * Records the full refund of a succeeded charge under {@code key}, or returns the one recorded by
   * an identical earlier request.
   *
   * @param amount the amount as the client wrote it, or null for the charge's amount
   * @throws ApiException 404 no such charge; 400 not the full amount; 409 declined or already
   *     refunded (under another key); 422 key used for a different request
   * @throws IOException when the ledger cannot be written; the refund may or may not be recorded
   */
  synchronized Recorded<Refund> refund(
      String key, String chargeId, String amount, String reason, List<String> faults)
      throws IOException {
    Charge charge =
        charge(chargeId)
            .orElseThrow(() -> ApiException.notFound("no such charge: " + chargeId))
            .charge();
    Amount refundAmount =
        amount == null
            ? charge.amount()
            : Amount.parse(amount, charge.amount().currency(), "amount");
    Object earlier = entryByKey.get(key);
    if (earlier instanceof Charge other) {
      throw ApiException.idempotencyKeyReused(
          "Idempotency-Key \"" + key + "\" was used for charge " + other.id());
    }
    if (earlier instanceof Refund refund) {
      if (!refund.sameRequest(chargeId, refundAmount, reason)) {
        throw ApiException.idempotencyKeyReused(
            "Idempotency-Key \""
                + key
                + "\" was used for refund "
                + refund.id()
                + " of charge "
                + refund.chargeId()
                + " with different parameters");
      }
      return new Recorded<>(refund, true);
    }
    if (charge.status() == ChargeStatus.DECLINED) {
      throw ApiException.stateConflict(
          "charge_not_refundable",
          "charge " + chargeId + " was declined; nothing was charged, nothing can be refunded",
          Map.of("charge", chargeId));
    }
    Refund previous = refundByChargeId.get(chargeId);
    if (previous != null) {
      throw ApiException.stateConflict(
          "charge_already_refunded",
          "charge "
              + chargeId
              + " was already refunded by "
              + previous.id()
              + " (Idempotency-Key \""
              + previous.idempotencyKey()
              + "\")",
          Map.of("charge", chargeId, "refund", previous.id()));
    }
    if (!refundAmount.equals(charge.amount())) {
      throw ApiException.invalid(
          "parameter_invalid",
          "amount",
          "only full refunds are supported: amount must be "
              + charge.amount().text()
              + " or absent");
    }
    Refund refund = new Refund(newId("re_"), key, chargeId, refundAmount, reason, now(), faults);
    file.append(refund.toLedger());
    index(refund);
    return new Recorded<>(refund, false);
  }

  synchronized Optional<ChargeState> charge(String id) {
    Integer position = positionById.get(id);
    return position == null ? Optional.empty() : Optional.of(state(charges.get(position)));
  }

  /** Charges in ledger (creation) order that match {@code query}. */
  synchronized Page list(ChargeQuery query) {
    if (query.idempotencyKey() != null && query.startingAfter() == null) {
      // the store's lookup after a timeout: answered from the index, not by a scan
      return new Page(
          entryByKey.get(query.idempotencyKey()) instanceof Charge charge
                  && query.matches(state(charge))
              ? List.of(state(charge))
              : List.of(),
          false);
    }
    int from = 0;
    if (query.startingAfter() != null) {
      Integer position = positionById.get(query.startingAfter());
      if (position == null) {
        throw ApiException.invalid(
            "parameter_invalid",
            "starting_after",
            "starting_after names no charge: " + query.startingAfter());
      }
      from = position + 1;
    }
    List<ChargeState> page = new ArrayList<>();
    for (int i = from; i < charges.size(); i++) {
      ChargeState state = state(charges.get(i));
      if (!query.matches(state)) {
        continue;
      }
      if (page.size() == query.limit()) {
        return new Page(page, true);
      }
      page.add(state);
    }
    return new Page(page, false);
  }

  synchronized int chargeCount() {
    return charges.size();
  }

  @Override
  public synchronized void close() throws IOException {
    file.close();
  }

  private ChargeState state(Charge charge) {
    return new ChargeState(charge, refundByChargeId.get(charge.id()));
  }

  /** Applies one line read back from the file at start. */
  private void replay(Map<String, Object> line) {
    String type = LedgerFile.text(line, "type");
    switch (type) {
      case "charge" -> index(Charge.fromLedger(line));
      case "refund" -> {
        Refund refund = Refund.fromLedger(line);
        Integer position = positionById.get(refund.chargeId());
        if (position == null || refundByChargeId.containsKey(refund.chargeId())) {
          throw new IllegalArgumentException(
              "refund " + refund.id() + " of an unknown or already refunded charge");
        }
        if (!refund.amount().equals(charges.get(position).amount())) {
          throw new IllegalArgumentException(
              "refund " + refund.id() + " is not the full amount of its charge");
        }
        index(refund);
      }
      default -> throw new IllegalArgumentException("unknown entry type " + type);
    }
  }

  private void index(Charge charge) {
    if (!ids.add(charge.id()) || entryByKey.containsKey(charge.idempotencyKey())) {
      throw new IllegalArgumentException("duplicate id or idempotency key: " + charge.id());
    }
    positionById.put(charge.id(), charges.size());
    charges.add(charge);
    entryByKey.put(charge.idempotencyKey(), charge);
  }

  private void index(Refund refund) {
    if (!ids.add(refund.id()) || entryByKey.containsKey(refund.idempotencyKey())) {
      throw new IllegalArgumentException("duplicate id or idempotency key: " + refund.id());
    }
    refundByChargeId.put(refund.chargeId(), refund);
    entryByKey.put(refund.idempotencyKey(), refund);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private String newId(String prefix) {
    while (true) {
      StringBuilder id = new StringBuilder(prefix);
      for (int i = 0; i < ID_LENGTH; i++) {
        id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
      }
      String candidate = id.toString();
      if (!ids.contains(candidate)) {
        return candidate;
      }
    }
  }

  private static String differences(ChargeRequest stored, ChargeRequest other) {
    List<String> names = new ArrayList<>();
    if (!stored.amount().value().equals(other.amount().value())) {
      names.add("amount");
    }
    if (!stored.amount().currency().equals(other.amount().currency())) {
      names.add("currency");
    }
    if (!Objects.equals(stored.description(), other.description())) {
      names.add("description");
    }
    if (!stored.metadata().equals(other.metadata())) {
      names.add("metadata");
    }
    return String.join(", ", names);
  }
}
