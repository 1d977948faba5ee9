package net.appstore.catalog.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import net.appstore.catalog.core.PageCaches;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admin task {@code POST /tasks/cache-clear} on the admin port: drops every object cache of the
 * service (app pages, listings, search results, update checks), as a restart would. Answers what
 * each cache held, as JSON: {@code {"cleared":{"app_pages":120,...}}}. For an operator who must not
 * serve what is cached, and for the cold-cache drill (F2).
 */
public final class CacheClearTask extends Task {

  private static final Logger LOG = LoggerFactory.getLogger(CacheClearTask.class);

  private final PageCaches caches;
  private final ObjectMapper json;

  public CacheClearTask(PageCaches caches, ObjectMapper json) {
    super("cache-clear");
    this.caches = caches;
    this.json = json;
  }

  @Override
  public void execute(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
    Map<String, Long> cleared = caches.clearAll();
    LOG.warn("object caches cleared by the cache-clear task: {}", cleared);
    output.println(json.writeValueAsString(Map.of("cleared", cleared)));
  }
}
