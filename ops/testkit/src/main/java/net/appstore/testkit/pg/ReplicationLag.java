package net.appstore.testkit.pg;

import java.time.Duration;

/**
 * How far a replica's replay is behind its primary.
 *
 * @param bytes WAL bytes written on the primary and not yet replayed on the replica; 0 when caught
 *     up
 * @param time zero when caught up; otherwise how long ago the replica last replayed a commit (or
 *     started, if it has replayed none), i.e. how stale its reads may be
 */
public record ReplicationLag(long bytes, Duration time) {
  /** Whether the replica has replayed everything the primary had written when measured. */
  public boolean caughtUp() {
    return bytes == 0;
  }
}
