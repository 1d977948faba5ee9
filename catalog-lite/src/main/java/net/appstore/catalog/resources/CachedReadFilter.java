package net.appstore.catalog.resources;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import net.appstore.catalog.core.AppPages;
import net.appstore.catalog.core.CachedPage;
import net.appstore.catalog.core.UpdateCheck;

/**
 * Answers the two hot reads, {@code GET /api/v1/apps/{slug}} and {@code GET /api/v1/update?...},
 * before Jersey when the answer is already in the object cache, with what {@link AppsResource} and
 * {@link UpdateResource} would send: same status, body bytes, {@code Content-Type}, {@code
 * Cache-Control}, {@code ETag}, {@code Vary}, and 304 to an {@code If-None-Match} naming the ETag.
 * Jersey's routing, injection and entity writing cost ten times the catalog's own work on this path
 * (docs/BENCHMARKS.md, "Catalog").
 *
 * <p>It answers only a request it can answer exactly and cheaply; everything else goes on to Jersey
 * unchanged: a cache miss, a not-found or partial page (F5), an update check whose versions are not
 * cached or not usable (Jersey degrades it, F15), any method but GET, an {@code Authorization}
 * header (the reader may see their own review, F6), an {@code If-Match} or an {@code If-None-Match}
 * other than one strong tag, an {@code Accept} other than none, the any-type wildcard or {@code
 * application/json}, a path or query that is not in its plainest form (percent-escapes, {@code +},
 * repeated or extra parameters, a query on an app page). The request id filter runs before it and
 * Jetty's request log and request metrics around it, as for any request; {@code
 * cached_reads.app_page} and {@code cached_reads.update} count what it answered. Thread-safe.
 */
public final class CachedReadFilter implements Filter {

  static final String APP_PAGE = "/api/v1/apps/";
  static final String UPDATE = "/api/v1/update";
  private static final String JSON = "application/json";
  // Jersey's ServerProperties.OUTBOUND_CONTENT_LENGTH_BUFFER default, which Dropwizard keeps.
  private static final int JERSEY_CONTENT_LENGTH_BUFFER = 8192;
  private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern PLAIN_QUERY = Pattern.compile("[A-Za-z0-9=&.*-]{1,200}");
  private static final Pattern ONE_STRONG_TAG = Pattern.compile("\"[A-Za-z0-9_-]*\"");

  private final AppPages appPages;
  private final UpdateCheck updates;
  private final RenderedManifests manifests;
  private final HttpCaching http;
  private final Meter appPagesAnswered;
  private final Meter updatesAnswered;

  public CachedReadFilter(
      AppPages appPages,
      UpdateCheck updates,
      RenderedManifests manifests,
      HttpCaching http,
      MetricRegistry metrics) {
    this.appPages = appPages;
    this.updates = updates;
    this.manifests = manifests;
    this.http = http;
    this.appPagesAnswered = metrics.meter(MetricRegistry.name("cached_reads", "app_page"));
    this.updatesAnswered = metrics.meter(MetricRegistry.name("cached_reads", "update"));
  }

  /** What the resource would send with status 200 (or 304). */
  private record Answer(byte[] body, String etag, String cacheControl, String vary) {}

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) request;
    Optional<Answer> answer = isPlain(http) ? cachedAnswer(http) : Optional.empty();
    if (answer.isEmpty()) {
      chain.doFilter(request, response);
      return;
    }
    write(answer.get(), http.getHeader("If-None-Match"), (HttpServletResponse) response);
  }

  private static boolean isPlain(HttpServletRequest request) {
    if (!"GET".equals(request.getMethod())
        || request.getHeader("Authorization") != null
        || request.getHeader("If-Match") != null) {
      return false;
    }
    return absentOrOnce(request.getHeaders("Accept"), a -> a.equals(JSON) || a.equals("*/*"))
        && absentOrOnce(
            request.getHeaders("If-None-Match"), t -> ONE_STRONG_TAG.matcher(t).matches());
  }

  /** Whether the header is absent, or comes once with a value that {@code plain} accepts. */
  private static boolean absentOrOnce(Enumeration<String> values, Predicate<String> plain) {
    if (values == null || !values.hasMoreElements()) {
      return true;
    }
    String value = values.nextElement();
    return !values.hasMoreElements() && plain.test(value);
  }

  private Optional<Answer> cachedAnswer(HttpServletRequest request) {
    String path = request.getRequestURI();
    String query = request.getQueryString();
    if (path.startsWith(APP_PAGE) && query == null) {
      return appPage(path.substring(APP_PAGE.length()));
    }
    if (path.equals(UPDATE) && query != null) {
      return update(query);
    }
    return Optional.empty();
  }

  private Optional<Answer> appPage(String slug) {
    if (!SLUG.matcher(slug).matches()) {
      return Optional.empty();
    }
    Optional<CachedPage<AppPages.LoadedAppPage>> cached = appPages.cachedPage(slug);
    if (cached.isEmpty() || !cached.get().found() || cached.get().partial()) {
      return Optional.empty();
    }
    appPagesAnswered.mark();
    CachedPage<AppPages.LoadedAppPage> page = cached.get();
    return Optional.of(new Answer(page.json(), page.etag(), http.publicPage(), "Authorization"));
  }

  private Optional<Answer> update(String query) {
    Map<String, String> parameters = plainParameters(query);
    String id = parameters.get("id");
    String version = parameters.get("version");
    String appVersion = parameters.get("appVersion");
    if (parameters.size() != 3
        || !Slugs.isSlug(id)
        || !Slugs.isVersion(version)
        || !Slugs.isVersion(appVersion)) {
      return Optional.empty();
    }
    Optional<UpdateCheck.Answer> answer = updates.cachedAnswer(id, version, appVersion);
    if (answer.isEmpty()) {
      return Optional.empty();
    }
    updatesAnswered.mark();
    RenderedManifests.Rendered rendered = manifests.of(answer.get().manifest());
    return Optional.of(
        new Answer(rendered.body(), rendered.etag(), http.update(answer.get().degraded()), null));
  }

  /** The query's parameters if it has no escapes and no repeated name; else an empty map. */
  private static Map<String, String> plainParameters(String query) {
    if (!PLAIN_QUERY.matcher(query).matches()) {
      return Collections.emptyMap();
    }
    Map<String, String> parameters = new HashMap<>(4);
    for (String pair : query.split("&", -1)) {
      int equals = pair.indexOf('=');
      if (equals <= 0
          || parameters.put(pair.substring(0, equals), pair.substring(equals + 1)) != null) {
        return Collections.emptyMap();
      }
    }
    return parameters;
  }

  /** As {@link HttpCaching#respond}: 304 without a body when the one tag asked for matches. */
  private static void write(Answer answer, String ifNoneMatch, HttpServletResponse response)
      throws IOException {
    String etag = '"' + answer.etag() + '"';
    response.setHeader("ETag", etag);
    response.setHeader("Cache-Control", answer.cacheControl());
    if (answer.vary() != null) {
      response.setHeader("Vary", answer.vary());
    }
    if (etag.equals(ifNoneMatch)) {
      response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
      return;
    }
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(JSON);
    // Framed as Jersey frames it: a Content-Length up to its buffer size, chunked above.
    if (answer.body().length <= JERSEY_CONTENT_LENGTH_BUFFER) {
      response.setContentLength(answer.body().length);
    }
    response.getOutputStream().write(answer.body());
    response.getOutputStream().flush();
  }
}
