package net.appstore.devservices.payments;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The append-only ledger file {@code DIR/ledger.jsonl}: one JSON object per line, written and
 * fsync'd before the request that caused it is answered, read back in full at start.
 *
 * <p>A crash can leave the last line incomplete (no newline): it was never acknowledged, so it is
 * cut off at start, with a warning. Any other unreadable line is corruption and refuses the start,
 * because guessing would make the ledger lie. An exclusive lock on the file keeps a second
 * simulator off the same directory. After a failed write or fsync the file refuses further writes:
 * what reached the disk is unknown until a restart reads it back.
 *
 * <p>Not thread-safe: {@link ChargeLedger} serialises access.
 */
final class LedgerFile implements Closeable {

  static final String FILE_NAME = "ledger.jsonl";

  private final Path path;
  private final FileChannel channel;
  private final FileLock lock;
  private boolean broken;

  private LedgerFile(Path path, FileChannel channel, FileLock lock) {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Opens (or creates) the ledger in {@code dir} and hands every recorded line, in order, to {@code
   * replay}.
   *
   * @throws IllegalStateException when another simulator holds the ledger, or a line other than an
   *     incomplete last one cannot be read or replayed
   */
  static LedgerFile open(Path dir, Consumer<Map<String, Object>> replay, EventLog log)
      throws IOException {
    Files.createDirectories(dir);
    Path path = dir.resolve(FILE_NAME);
    boolean created = !Files.exists(path);
    FileChannel channel =
        FileChannel.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      FileLock lock = lockOrRefuse(channel, path);
      if (created) {
        fsyncDirectory(dir);
      }
      LedgerFile file = new LedgerFile(path, channel, lock);
      file.load(replay, log);
      return file;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  Path path() {
    return path;
  }

  /** Appends one line and forces it to disk. */
  void append(Map<String, Object> entry) throws IOException {
    if (broken) {
      throw new IOException(
          "the ledger "
              + path
              + " refuses writes after an earlier write failure; restart the simulator");
    }
    ByteBuffer line = ByteBuffer.wrap(formatLine(entry));
    try {
      while (line.hasRemaining()) {
        channel.write(line);
      }
      channel.force(false);
    } catch (IOException e) {
      broken = true;
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }

  private void load(Consumer<Map<String, Object>> replay, EventLog log) throws IOException {
    byte[] content = Files.readAllBytes(path);
    int start = 0;
    int lineNumber = 0;
    for (int i = 0; i < content.length; i++) {
      if (content[i] != '\n') {
        continue;
      }
      lineNumber++;
      byte[] line = Arrays.copyOfRange(content, start, i);
      try {
        replay.accept(parseLine(line));
      } catch (ParseException | RuntimeException e) {
        throw new IllegalStateException(
            "ledger "
                + path
                + " line "
                + lineNumber
                + " is corrupt ("
                + e.getMessage()
                + "); refusing to start on a ledger that may lie. Inspect or move the file.",
            e);
      }
      start = i + 1;
    }
    if (start < content.length) {
      log.event(
          "ledger "
              + path
              + ": cutting off an incomplete last line of "
              + (content.length - start)
              + " bytes (a write interrupted by a crash, never acknowledged)");
      channel.truncate(start);
      channel.force(false);
    }
    channel.position(start);
  }

  private static FileLock lockOrRefuse(FileChannel channel, Path path) throws IOException {
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      throw new IllegalStateException(
          "another payment gateway simulator uses " + path + "; give each one its own --data-dir");
    }
    return lock;
  }

  /** Makes the new file's directory entry durable too. */
  private static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    }
  }

  /** One ledger line, newline included. */
  static byte[] formatLine(Map<String, Object> entry) {
    return (JSONObjectUtils.toJSONString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  static Map<String, Object> parseLine(byte[] line) throws ParseException {
    return JSONObjectUtils.parse(new String(line, StandardCharsets.UTF_8).strip());
  }

  static String text(Map<String, Object> line, String name) {
    if (line.get(name) instanceof String text) {
      return text;
    }
    throw new IllegalArgumentException("\"" + name + "\" missing or not a string");
  }

  static List<String> textList(Map<String, Object> line, String name) {
    List<String> texts = new ArrayList<>();
    if (line.get(name) instanceof List<?> list) {
      for (Object item : list) {
        texts.add(String.valueOf(item));
      }
    }
    return texts;
  }
}
