package net.appstore.ops.drills;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;

/**
 * The catalog as browsers, reviewers and its operator see it: its public API over HTTPS, its
 * Prometheus metrics on the admin port, and apps picked from the seeded data.
 */
public final class Catalog {

  private final DrillStack stack;
  private final Map<String, String> tokens = new ConcurrentHashMap<>();

  public Catalog(DrillStack stack) {
    this.stack = stack;
  }

  /** {@code GET} of a catalog path such as {@code /api/v1/categories}. */
  public StackHttp.Reply get(String path, String... headers) throws Exception {
    return stack.https().get(stack.url("CATALOG_URL", path), headers);
  }

  public StackHttp.Reply getAs(String user, String path) throws Exception {
    return get(path, "Authorization", "Bearer " + token(user));
  }

  /** {@code POST /api/v1/apps/{slug}/reviews} as {@code user}. */
  public StackHttp.Reply postReview(String user, String slug, int rating, String body)
      throws Exception {
    return postReviewWithToken(token(user), slug, rating, body);
  }

  public StackHttp.Reply postReviewWithToken(String token, String slug, int rating, String body)
      throws Exception {
    return stack
        .https()
        .post(
            stack.url("CATALOG_URL", "/api/v1/apps/" + slug + "/reviews"),
            "{\"rating\": " + rating + ", \"body\": \"" + body + "\"}",
            "Authorization",
            "Bearer " + token,
            "Content-Type",
            "application/json");
  }

  /** A bearer token from the development IdP (one call per user). */
  public String token(String user) {
    return tokens.computeIfAbsent(user, stack::token);
  }

  /**
   * A public app picked at random, so that a drill run against a reused stack gets an app page no
   * earlier run has cached (1 in the seeded set's size of picking one that is).
   */
  public String randomApp() {
    return randomApp("TRUE");
  }

  /** A random public app with at least one version (for update checks). */
  public String randomAppWithVersions() {
    return randomApp("EXISTS (SELECT 1 FROM catalog.app_version v WHERE v.app_id = a.id)");
  }

  private String randomApp(String condition) {
    return stack
        .primary()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT a.slug FROM catalog.app a WHERE a.status = 'public' AND "
                            + condition
                            + " ORDER BY random() LIMIT 1")
                    .mapTo(String.class)
                    .one());
  }

  /** Review ids shown on an app page (none when the page has no reviews). */
  public static List<Long> reviewIds(StackHttp.Reply page) {
    return page.json().path("reviews").findValues("id").stream().map(v -> v.asLong()).toList();
  }

  /**
   * The sum of a metric's samples (all label sets) on the admin port's {@code /metrics/prometheus};
   * Dropwizard's dots are underscores there, meters and counters end in {@code _total}.
   */
  public double metric(String name) throws Exception {
    StackHttp.Reply reply =
        stack.https().get(stack.url("CATALOG_ADMIN_URL", "/metrics/prometheus"));
    if (reply.status() != 200) {
      throw new AssertionError("catalog metrics: " + reply.abbreviated());
    }
    double sum = 0;
    boolean found = false;
    for (String line : reply.body().split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      int end = line.indexOf(line.contains("{") ? '{' : ' ');
      if (end > 0 && line.substring(0, end).equals(name)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    if (!found) {
      throw new AssertionError("the catalog exports no metric " + name);
    }
    return sum;
  }

  /**
   * Sends {@code paths} at once, one thread each, and returns the answers in order. The stack's
   * client keeps its connections, so a burst after a warm-up does not wait on TLS handshakes.
   */
  public List<StackHttp.Reply> getAll(List<String> paths, Runnable whileInFlight) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(paths.size());
    try {
      List<Future<StackHttp.Reply>> answers = new ArrayList<>();
      for (String path : paths) {
        answers.add(threads.submit(() -> get(path)));
      }
      whileInFlight.run();
      List<StackHttp.Reply> replies = new ArrayList<>();
      for (Future<StackHttp.Reply> answer : answers) {
        replies.add(answer.get(StackHttp.REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS));
      }
      return replies;
    } finally {
      threads.shutdownNow();
    }
  }

  /**
   * Opens up to {@code connections} connections to the catalog at once, so that a burst after it
   * need not handshake; a connection that cannot be opened in time (a loaded machine) is left out,
   * the burst then opens it itself.
   */
  public void warmUp(int connections) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(connections);
    try {
      List<Future<?>> opened = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        opened.add(threads.submit(() -> get("/api/v1/categories")));
      }
      for (Future<?> connection : opened) {
        try {
          connection.get(StackHttp.REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          // Not warmed; see above.
        }
      }
    } finally {
      threads.shutdownNow();
    }
  }

  /**
   * Makes the catalog's database slow for apps, for real: an ACCESS EXCLUSIVE lock on {@code
   * catalog.app} taken in an open transaction on the primary, which the hot-standby replica
   * replays, so every read of apps (pages, listings, search) waits until {@link SlowApps#close}
   * rolls it back. Keep it short: the catalog's replica statements time out after 3 s.
   */
  public SlowApps slowApps() throws Exception {
    Handle lock = stack.primary().open();
    try {
      lock.begin();
      lock.execute("LOCK TABLE catalog.app IN ACCESS EXCLUSIVE MODE");
      // A commit elsewhere flushes the WAL up to here, lock record included, to the replica.
      stack.primary().useHandle(h -> h.execute("SELECT txid_current()"));
      Await.until(
          Duration.ofSeconds(20),
          () ->
              stack
                      .replica()
                      .withHandle(
                          h ->
                              h.createQuery(
                                      "SELECT count(*) FROM pg_locks l JOIN pg_class c"
                                          + " ON c.oid = l.relation WHERE c.relname = 'app'"
                                          + " AND l.mode = 'AccessExclusiveLock'")
                                  .mapTo(Integer.class)
                                  .one())
                  > 0,
          "the replica replaying the lock on catalog.app");
      return new SlowApps(lock);
    } catch (Exception | AssertionError e) {
      lock.rollback();
      lock.close();
      throw e;
    }
  }

  /** The lock of {@link #slowApps}; closing it lets the waiting reads through. */
  public static final class SlowApps implements AutoCloseable {
    private final Handle lock;
    private boolean closed;

    private SlowApps(Handle lock) {
      this.lock = lock;
    }

    /** Rolls the lock back (once; later calls do nothing). */
    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        lock.rollback();
      } finally {
        lock.close();
      }
    }
  }
}
