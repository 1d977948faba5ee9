package net.appstore.keys.audit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The hash that links one issuance entry to the previous one. The encoding is length-prefixed
 * (never a separator that a field could contain), so two different entries cannot encode alike.
 * Stateless, thread-safe.
 */
public final class IssuanceChain {

  /** The {@code prev_hash} of the first entry. */
  public static final byte[] GENESIS = new byte[32];

  private IssuanceChain() {}

  public static byte[] hash(long seq, IssuanceEntry entry, byte[] prevHash) {
    MessageDigest sha256 = sha256();
    sha256.update(prevHash);
    sha256.update(encode(seq, entry));
    return sha256.digest();
  }

  /** SHA-256 of a document's claims, the fingerprint the log keeps instead of the document. */
  public static byte[] claimsSha256(String claimsJson) {
    return sha256().digest(claimsJson.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] encode(long seq, IssuanceEntry entry) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(seq);
      writeString(out, entry.jti());
      writeString(out, entry.purchaseId().orElse(""));
      out.writeBoolean(entry.purchaseId().isPresent());
      writeString(out, entry.documentType().wireName());
      writeString(out, entry.kid());
      writeString(out, entry.caller());
      out.write(entry.claimsSha256());
      out.writeLong(epochMicros(entry.issuedAt()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void writeString(DataOutputStream out, String value) throws IOException {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static long epochMicros(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
