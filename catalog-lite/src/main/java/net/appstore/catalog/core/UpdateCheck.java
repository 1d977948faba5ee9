package net.appstore.catalog.core;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.appstore.catalog.api.UpdateManifest;
import net.appstore.catalog.db.AppDao;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The update check: given an app, the version a client runs and its platform version, the newest
 * version that is newer and runs on that platform, or no update.
 *
 * <p>It never fails (F15): when the versions cannot be read (database down, bulkhead full, data
 * that cannot be used), it answers "no update", which clients take as "ask again later", and counts
 * the degraded answer ({@code update_check.degraded}). A replica that lags makes it offer an older
 * version or none (F16); the replica lag metric covers that. Thread-safe.
 */
public final class UpdateCheck {

  private static final Logger LOG = LoggerFactory.getLogger(UpdateCheck.class);

  private final Jdbi replica;
  private final DatabaseGate gate;
  private final PageCache<String, List<AppVersion>> versions;
  private final Meter degraded;
  private final Meter answered;

  /** An answer, and whether it is the degraded "no update" (which deserves a short cache life). */
  public record Answer(UpdateManifest manifest, boolean degraded) {}

  public UpdateCheck(Jdbi replica, DatabaseGate gate, CachePlumbing caches) {
    this.replica = replica;
    this.gate = gate;
    this.versions = caches.cache("versions", this::load);
    this.degraded = caches.metrics().meter(MetricRegistry.name("update_check", "degraded"));
    this.answered = caches.metrics().meter(MetricRegistry.name("update_check", "answered"));
  }

  public Answer check(String slug, String currentVersion, String platformVersion) {
    answered.mark();
    try {
      List<AppVersion> known = versions.get(slug).view().orElse(List.of());
      return new Answer(newest(slug, known, currentVersion, platformVersion), false);
    } catch (RuntimeException e) {
      degraded.mark();
      LOG.warn("update check for {} degraded to \"no update\": {}", slug, e.toString());
      return new Answer(UpdateManifest.noUpdate(slug), true);
    }
  }

  /**
   * The answer {@link #check} would give, if the app's versions are in the cache now and usable;
   * empty otherwise (then {@link #check} must answer, loading or degrading). Never reads the
   * database; counted as answered only when it answers.
   */
  public Optional<Answer> cachedAnswer(String slug, String currentVersion, String platformVersion) {
    Optional<CachedPage<List<AppVersion>>> cached = versions.getIfPresent(slug);
    if (cached.isEmpty()) {
      return Optional.empty();
    }
    UpdateManifest manifest;
    try {
      manifest =
          newest(slug, cached.get().view().orElse(List.of()), currentVersion, platformVersion);
    } catch (RuntimeException e) {
      return Optional.empty(); // unusable data: check() degrades it and counts that
    }
    answered.mark();
    return Optional.of(new Answer(manifest, false));
  }

  private static UpdateManifest newest(
      String slug, List<AppVersion> known, String currentVersion, String platformVersion) {
    ToolkitVersion current = ToolkitVersion.parse(currentVersion);
    ToolkitVersion platform = ToolkitVersion.parse(platformVersion);
    return known.stream()
        .filter(v -> ToolkitVersion.parse(v.version()).compareTo(current) > 0)
        .filter(v -> ToolkitVersion.parse(v.minPlatformVersion()).compareTo(platform) <= 0)
        .max((a, b) -> ToolkitVersion.compare(a.version(), b.version()))
        .map(v -> UpdateManifest.update(slug, update(v)))
        .orElseGet(() -> UpdateManifest.noUpdate(slug));
  }

  private static UpdateManifest.Update update(AppVersion v) {
    return new UpdateManifest.Update(
        v.version(),
        v.packageUrl(),
        "sha256:" + v.packageSha256(),
        Map.of("gecko", Map.of("strict_min_version", v.minPlatformVersion())));
  }

  private Optional<List<AppVersion>> load(String slug) {
    return Optional.of(
        gate.call(() -> replica.withExtension(AppDao.class, dao -> dao.versionsOfPublic(slug))));
  }
}
