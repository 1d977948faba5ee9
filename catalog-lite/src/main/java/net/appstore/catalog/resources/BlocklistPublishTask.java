package net.appstore.catalog.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.appstore.catalog.core.blocklist.BlocklistPublisher;
import net.appstore.catalog.core.blocklist.PublicationOverride;
import net.appstore.catalog.core.blocklist.PublicationResult;

/**
 * Admin task {@code POST /tasks/blocklist-publish} on the admin port: one publication run now,
 * without overrides (what the schedule does, minus waiting for it; the {@code blocklist-publish}
 * command does the same from another process). Answers JSON: {@code published}, and {@code version}
 * and {@code entries}, or why nothing was published ({@code note}, or {@code error} when the run
 * failed or was refused: the last good file stays served, F17/F18).
 */
public final class BlocklistPublishTask extends Task {

  private final BlocklistPublisher publisher;
  private final ObjectMapper json;

  public BlocklistPublishTask(BlocklistPublisher publisher, ObjectMapper json) {
    super("blocklist-publish");
    this.publisher = publisher;
    this.json = json;
  }

  @Override
  public void execute(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
    Map<String, Object> answer = new LinkedHashMap<>();
    try {
      PublicationResult result =
          publisher.publish(EnumSet.noneOf(PublicationOverride.class), "admin-task");
      answer.put("published", result.published());
      if (result.published()) {
        answer.put("version", result.version());
        answer.put("entries", result.entryCount());
        answer.put("kid", result.kid());
      } else {
        answer.put("note", result.note());
      }
    } catch (Exception e) {
      // Counted and logged by the publisher; the caller gets the reason.
      answer.put("published", false);
      answer.put("error", e.getMessage() != null ? e.getMessage() : e.toString());
    }
    output.println(json.writeValueAsString(answer));
  }
}
