package net.appstore.catalog.core;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every {@link PageCache} of the service, so that they can be dropped at once: the {@code
 * cache-clear} admin task, which the local stack's fault switch of the same name calls to drill a
 * cold cache under load (F2). Thread-safe.
 */
public final class PageCaches {

  private final List<PageCache<?, ?>> caches = new CopyOnWriteArrayList<>();

  void add(PageCache<?, ?> cache) {
    caches.add(cache);
  }

  /**
   * Drops every entry of every cache; the next request for each loads from the database.
   *
   * @return per cache name, how many entries it held just before
   */
  public Map<String, Long> clearAll() {
    Map<String, Long> dropped = new TreeMap<>();
    for (PageCache<?, ?> cache : caches) {
      dropped.put(cache.name(), cache.estimatedSize());
      cache.invalidateAll();
    }
    return dropped;
  }
}
