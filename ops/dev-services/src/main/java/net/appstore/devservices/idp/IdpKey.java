package net.appstore.devservices.idp;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;

/**
 * The development identity provider's RS256 signing key. It is generated on first start and kept in
 * a file (a private JWK, mode 0600) so that tokens stay valid across restarts of the local stack.
 * Development material only: a real identity provider keeps its keys elsewhere. Immutable.
 */
public final class IdpKey {

  private static final int RSA_BITS = 2048;
  private final RSAKey privateJwk;

  private IdpKey(RSAKey privateJwk) {
    this.privateJwk = privateJwk;
  }

  /** A fresh key that lives only in memory (tests). */
  public static IdpKey generate() {
    try {
      return new IdpKey(
          new RSAKeyGenerator(RSA_BITS)
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(JWSAlgorithm.RS256)
              .keyIDFromThumbprint(true)
              .generate());
    } catch (JOSEException e) {
      throw new IllegalStateException("could not generate an RSA key", e);
    }
  }

  /** The key stored in {@code file}, or a new one written there (0600) if the file is absent. */
  public static IdpKey loadOrCreate(Path file) {
    try {
      if (Files.exists(file)) {
        return new IdpKey(RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8)));
      }
      IdpKey key = generate();
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp =
          Files.createTempFile(
              dir,
              ".idp-key",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, key.privateJwk.toJSONString(), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read or write the IdP key at " + file, e);
    } catch (ParseException e) {
      throw new IllegalStateException(file + " does not hold an RSA JWK", e);
    }
  }

  public String kid() {
    return privateJwk.getKeyID();
  }

  /** What {@code /.well-known/jwks.json} serves: the public half only. */
  public JWKSet publicJwks() {
    return new JWKSet(privateJwk.toPublicJWK());
  }

  RSAKey privateJwk() {
    return privateJwk;
  }

  @Override
  public String toString() {
    return "IdpKey{kid=" + kid() + "}";
  }
}
