package net.appstore.keys.audit;

/**
 * An entry as stored: its place in the chain and the hashes that bind it to its predecessor.
 *
 * @param prevHash the hash of entry {@code seq - 1} (32 zero bytes for the first)
 * @param hash SHA-256 over {@code prevHash} and the entry's canonical encoding
 */
public record ChainLink(long seq, IssuanceEntry entry, byte[] prevHash, byte[] hash) {

  public ChainLink {
    prevHash = prevHash.clone();
    hash = hash.clone();
  }

  @Override
  public byte[] prevHash() {
    return prevHash.clone();
  }

  @Override
  public byte[] hash() {
    return hash.clone();
  }
}
