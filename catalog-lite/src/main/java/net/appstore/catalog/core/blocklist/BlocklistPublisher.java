package net.appstore.catalog.core.blocklist;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.appstore.catalog.core.BlocklistEntry;
import net.appstore.catalog.db.BlocklistDao;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocklist publication job (F17, F18). One run:
 *
 * <ol>
 *   <li>takes a database lock so that one instance publishes at a time;
 *   <li>reads the active entries (primary) and the last published document (disk);
 *   <li>builds the next document: version = last reserved version + 1, generation time now;
 *   <li>refuses an empty list after a non-empty one, a drop of more than {@code maxDropShare} of
 *       the entries, or a version not greater than the published one, unless overridden;
 *   <li>reserves the version (committed, so a version is never handed out twice);
 *   <li>has it signed, checks the signature and payload against the signer's JWKS;
 *   <li>writes it atomically, keeps the newest {@code keep} versions, records the publication.
 * </ol>
 *
 * Whatever fails, the last good file stays in place and keeps being served; the failure is counted
 * and logged, and the served file's age (a metric) grows until someone acts. Thread-safe (runs are
 * serialised by the database lock).
 */
public final class BlocklistPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(BlocklistPublisher.class);

  /** Settings of the job; {@code republishAfter} refreshes an unchanged list's generation time. */
  public record Settings(String issuer, double maxDropShare, int keep, Duration republishAfter) {
    public Settings {
      if (maxDropShare < 0 || maxDropShare > 1) {
        throw new IllegalArgumentException("maxDropShare must be between 0 and 1");
      }
      if (keep < 2) {
        throw new IllegalArgumentException(
            "keep at least 2 versions, so readers never lose theirs");
      }
    }
  }

  private final Jdbi primary;
  private final BlocklistSigner signer;
  private final BlocklistSignatureCheck signatureCheck;
  private final BlocklistFiles files;
  private final Settings settings;
  private final Clock clock;
  private final ObjectMapper json;
  private final Counter published;
  private final Counter refused;
  private final Counter failed;
  private final MetricRegistry metrics;

  public BlocklistPublisher(
      Jdbi primary,
      BlocklistSigner signer,
      BlocklistSignatureCheck signatureCheck,
      BlocklistFiles files,
      Settings settings,
      Clock clock,
      ObjectMapper json,
      MetricRegistry metrics) {
    this.primary = primary;
    this.signer = signer;
    this.signatureCheck = signatureCheck;
    this.files = files;
    this.settings = settings;
    this.clock = clock;
    this.json = json;
    this.published = metrics.counter("blocklist.publish.published");
    this.refused = metrics.counter("blocklist.publish.refused");
    this.failed = metrics.counter("blocklist.publish.failed");
    this.metrics = metrics;
  }

  /**
   * Publishes a new version now.
   *
   * @param overrides refusals the operator explicitly allows, each logged
   * @param actor who asked (for the log and the record): an operator name or {@code scheduler}
   * @throws PublicationRefusedException if the document must not be published
   * @throws BlocklistSigningException if the signer gave no signature
   * @throws IOException if the JWKS or the files could not be read or written
   */
  public PublicationResult publish(Set<PublicationOverride> overrides, String actor)
      throws PublicationRefusedException, BlocklistSigningException, IOException {
    return run(overrides, actor, false);
  }

  /**
   * The scheduled run: publishes when the entries changed since the published version, or when that
   * version is older than {@code republishAfter}; never with overrides.
   */
  public PublicationResult publishIfDue()
      throws PublicationRefusedException, BlocklistSigningException, IOException {
    return run(Set.of(), "scheduler", true);
  }

  private PublicationResult run(Set<PublicationOverride> overrides, String actor, boolean onlyIfDue)
      throws PublicationRefusedException, BlocklistSigningException, IOException {
    try (Handle lockHandle = primary.open()) {
      BlocklistDao lock = lockHandle.attach(BlocklistDao.class);
      if (!lock.tryLockPublisher()) {
        return PublicationResult.skipped("another instance is publishing");
      }
      try {
        PublicationResult result = runLocked(overrides, actor, onlyIfDue);
        if (result.published()) {
          published.inc();
        }
        return result;
      } catch (PublicationRefusedException e) {
        refused.inc();
        metrics.counter(refusedMetric(e.refusal())).inc();
        LOG.error("blocklist publication refused ({}): {}", e.refusal(), e.getMessage());
        throw e;
      } catch (BlocklistSigningException | IOException | RuntimeException e) {
        failed.inc();
        LOG.error(
            "blocklist publication failed; the last good version stays published: {}",
            e.toString());
        throw e;
      } finally {
        lock.unlockPublisher();
      }
    }
  }

  private PublicationResult runLocked(
      Set<PublicationOverride> overrides, String actor, boolean onlyIfDue)
      throws PublicationRefusedException, BlocklistSigningException, IOException {
    List<BlocklistEntry> entries =
        primary.withExtension(BlocklistDao.class, BlocklistDao::activeEntries);
    Optional<BlocklistDocument.Summary> last = lastPublished();
    long version = primary.withExtension(BlocklistDao.class, BlocklistDao::lastReservedVersion) + 1;
    Instant now = clock.instant();
    BlocklistDocument document = new BlocklistDocument(version, now, settings.issuer(), entries);
    BlocklistDocument.Summary next = document.summary();

    if (onlyIfDue
        && last.isPresent()
        && last.get().entriesCanonical().equals(next.entriesCanonical())
        && Duration.between(last.get().generatedAt(), now).compareTo(settings.republishAfter())
            < 0) {
      return PublicationResult.skipped("entries unchanged since version " + last.get().version());
    }

    Set<PublicationOverride> used = EnumSet.noneOf(PublicationOverride.class);
    if (last.isPresent()) {
      BlocklistDocument.Summary previous = last.get();
      if (version <= previous.version()) {
        refuseUnless(
            Refusal.VERSION_NOT_GREATER,
            overrides,
            used,
            actor,
            "version "
                + version
                + " is not greater than the published "
                + previous.version()
                + " (database restored or pointed elsewhere?)");
      }
      if (next.entryCount() == 0 && previous.entryCount() > 0) {
        refuseUnless(
            Refusal.EMPTY_AFTER_NON_EMPTY,
            overrides,
            used,
            actor,
            "the list would be empty; the published version "
                + previous.version()
                + " has "
                + previous.entryCount()
                + " entries");
      } else if (previous.entryCount() > 0) {
        double drop = (previous.entryCount() - next.entryCount()) / (double) previous.entryCount();
        if (drop > settings.maxDropShare()) {
          refuseUnless(
              Refusal.DROP_TOO_LARGE,
              overrides,
              used,
              actor,
              String.format(
                  "%d of %d entries would disappear (%.0f%%, more than the allowed %.0f%%)",
                  previous.entryCount() - next.entryCount(),
                  previous.entryCount(),
                  drop * 100,
                  settings.maxDropShare() * 100));
        }
      }
    }

    String[] usedFlags = used.stream().map(PublicationOverride::flag).toArray(String[]::new);
    primary.useExtension(
        BlocklistDao.class,
        dao ->
            dao.reserve(
                version, Timestamp.from(document.generatedAt()), next.entryCount(), usedFlags));
    byte[] canonical = document.canonicalBytes();
    SignedBlocklist signed;
    try {
      signed = signer.sign(document.toJson());
      signatureCheck.check(signed, canonical);
      files.publish(version, signed.token().getBytes(StandardCharsets.US_ASCII), canonical);
    } catch (PublicationRefusedException e) {
      finish(version, "refused", null, null, e.getMessage());
      throw e;
    } catch (BlocklistSigningException | IOException | RuntimeException e) {
      finish(version, "failed", null, null, e.toString());
      throw e;
    }
    files.prune(settings.keep());
    finish(
        version,
        "published",
        signed.kid(),
        sha256(signed.token()),
        used.isEmpty() ? null : "overrides by " + actor + ": " + String.join(", ", usedFlags));
    LOG.info(
        "blocklist version {} published: {} entries, kid {}, by {}",
        version,
        next.entryCount(),
        signed.kid(),
        actor);
    return new PublicationResult(
        true,
        version,
        document.generatedAt(),
        next.entryCount(),
        signed.kid(),
        Set.copyOf(used),
        "published");
  }

  private Optional<BlocklistDocument.Summary> lastPublished() throws IOException {
    Optional<BlocklistFiles.Published> current = files.current();
    if (current.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(BlocklistDocument.Summary.of(json.readTree(current.get().json())));
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException(
          "the published " + BlocklistFiles.JSON + " cannot be read: " + e.getMessage(), e);
    }
  }

  private static void refuseUnless(
      Refusal refusal,
      Set<PublicationOverride> overrides,
      Set<PublicationOverride> used,
      String actor,
      String reason)
      throws PublicationRefusedException {
    for (PublicationOverride o : overrides) {
      if (o.overrides() == refusal) {
        LOG.warn(
            "blocklist publication: {} OVERRIDDEN by {} with --{}: {}",
            refusal,
            actor,
            o.flag(),
            reason);
        used.add(o);
        return;
      }
    }
    throw new PublicationRefusedException(
        refusal,
        reason + (refusal.overridable() ? "; override with --" + refusal.overrideFlag() : ""));
  }

  private void finish(long version, String state, String kid, String sha256, String detail) {
    try {
      primary.useExtension(
          BlocklistDao.class, dao -> dao.finish(version, state, kid, sha256, detail));
    } catch (RuntimeException e) {
      // The files are what clients see; the record is for people. Never fail a publication for it.
      LOG.error("could not record blocklist version {} as {}: {}", version, state, e.toString());
    }
  }

  /** Per reason, e.g. {@code blocklist.publish.refused.untrusted_key}, so an alert can say why. */
  public static String refusedMetric(Refusal refusal) {
    return "blocklist.publish.refused." + refusal.name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String sha256(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(token.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
