package net.appstore.keys.audit;

import java.util.Optional;

/**
 * The outcome of walking the issuance chain.
 *
 * @param entries how many entries were checked
 * @param firstBadSeq the first sequence number where the chain breaks, if it does
 * @param problem what is wrong there, for a person
 */
public record ChainReport(long entries, Optional<Long> firstBadSeq, Optional<String> problem) {

  public static ChainReport intact(long entries) {
    return new ChainReport(entries, Optional.empty(), Optional.empty());
  }

  public static ChainReport brokenAt(long entries, long seq, String problem) {
    return new ChainReport(entries, Optional.of(seq), Optional.of(problem));
  }

  public boolean isIntact() {
    return firstBadSeq.isEmpty();
  }
}
