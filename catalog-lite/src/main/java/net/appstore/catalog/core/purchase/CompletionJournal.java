package net.appstore.catalog.core.purchase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import net.appstore.catalog.db.PurchaseRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable local journal of completions the database did not take (F22): a charge succeeded, and
 * writing COMPLETED failed. {@link #append} writes one JSON line and fsyncs it before returning, so
 * the fact survives a process kill; {@link #replay} lands every entry (idempotently, marked per
 * entry in {@code store.journal_replays}) and then drops the landed ones from the file.
 * Thread-safe: appends and the rewrite after a replay are serialised on this object.
 */
public final class CompletionJournal {

  private static final Logger LOG = LoggerFactory.getLogger(CompletionJournal.class);

  /** One journalled completion. */
  public record Entry(UUID entryId, UUID purchaseId, String chargeId, String answer) {}

  private final Path file;
  private final ObjectMapper json;
  private final PurchaseRecords records;
  private final Clock clock;

  /** Entries appended and not yet landed, as of the last append or replay (for the gauge). */
  private volatile int pending;

  public CompletionJournal(Path file, ObjectMapper json, PurchaseRecords records, Clock clock) {
    this.file = file.toAbsolutePath();
    this.json = json;
    this.records = records;
    this.clock = clock;
  }

  public Path file() {
    return file;
  }

  /** Completions in the journal not yet landed in the database (as of the last replay). */
  public int pending() {
    return pending;
  }

  /** Appends and fsyncs the entry; only then may the buyer be told the purchase is done. */
  public synchronized void append(Entry entry) throws IOException {
    boolean created = !Files.exists(file);
    Files.createDirectories(file.getParent());
    var line = json.createObjectNode();
    line.put("entry_id", entry.entryId().toString());
    line.put("purchase_id", entry.purchaseId().toString());
    line.put("charge_id", entry.chargeId());
    line.put("answer", entry.answer());
    byte[] bytes = (json.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel out =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      out.force(true);
    }
    if (created) {
      fsyncDirectory();
    }
    pending++;
  }

  /** Entries not yet dropped from the file (landed or not). An incomplete last line is skipped. */
  public synchronized List<Entry> entries() throws IOException {
    List<Entry> entries = new ArrayList<>();
    if (!Files.exists(file)) {
      return entries;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode node = json.readTree(line);
        entries.add(
            new Entry(
                UUID.fromString(node.get("entry_id").asText()),
                UUID.fromString(node.get("purchase_id").asText()),
                node.get("charge_id").isNull() ? null : node.get("charge_id").asText(),
                node.get("answer").asText()));
      } catch (IOException | RuntimeException e) {
        // Only a crash mid-append leaves such a line, and that entry was never acknowledged.
        LOG.warn("skipping an unreadable completion journal line: {}", e.toString());
      }
    }
    return entries;
  }

  /**
   * Lands every entry it can and rewrites the file without the landed ones.
   *
   * @return how many entries are still waiting
   */
  public synchronized int replay() throws IOException {
    List<Entry> waiting = new ArrayList<>();
    List<Entry> all = entries();
    for (Entry entry : all) {
      try {
        boolean landed =
            records.replayCompletion(
                entry.entryId(),
                entry.purchaseId(),
                entry.chargeId(),
                entry.answer(),
                clock.instant());
        LOG.info(
            "completion journal: purchase {} entry {} {}",
            entry.purchaseId(),
            entry.entryId(),
            landed ? "replayed" : "was replayed before");
      } catch (RuntimeException e) {
        waiting.add(entry);
      }
    }
    if (waiting.size() != all.size()) {
      rewrite(waiting);
    }
    pending = waiting.size();
    return waiting.size();
  }

  private void rewrite(List<Entry> keep) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    StringBuilder text = new StringBuilder();
    for (Entry entry : keep) {
      var line = json.createObjectNode();
      line.put("entry_id", entry.entryId().toString());
      line.put("purchase_id", entry.purchaseId().toString());
      line.put("charge_id", entry.chargeId());
      line.put("answer", entry.answer());
      text.append(json.writeValueAsString(line)).append('\n');
    }
    try (FileChannel out =
        FileChannel.open(
            temporary,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      out.force(true);
    }
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    fsyncDirectory();
  }

  private void fsyncDirectory() throws IOException {
    try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    }
  }
}
