package net.appstore.receipt.keys;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JWKS of {@link PublishedKey}s: what the signer serves at {@code /.well-known/jwks.json} and
 * what a verifier reads back. Parsing is strict (see {@link InvalidKeySetException} for why a bad
 * key fails the whole set), and key ids are unique.
 *
 * <p>Immutable and thread-safe; usable directly as a fixed {@link KeySource}.
 */
public final class PublishedKeySet implements KeySource {

  private final Map<String, PublishedKey> keysByKid;

  /**
   * @throws IllegalArgumentException if two keys share a kid
   */
  public PublishedKeySet(List<PublishedKey> keys) {
    Map<String, PublishedKey> byKid = new LinkedHashMap<>();
    for (PublishedKey key : keys) {
      if (byKid.put(key.kid(), key) != null) {
        throw new IllegalArgumentException("duplicate kid " + key.kid());
      }
    }
    this.keysByKid = byKid;
  }

  /** Parses a JWKS document; every key must pass {@link PublishedKey#fromJwk}. */
  public static PublishedKeySet parse(String json) throws InvalidKeySetException {
    List<Object> entries;
    try {
      entries = JSONObjectUtils.getJSONArray(JSONObjectUtils.parse(json), "keys");
    } catch (ParseException e) {
      throw new InvalidKeySetException("not a JWKS document", e);
    }
    if (entries == null) {
      throw new InvalidKeySetException("not a JWKS document: no keys member");
    }
    List<PublishedKey> keys = new ArrayList<>();
    for (Object entry : entries) {
      keys.add(PublishedKey.fromJwk(parseJwk(entry, keys.size())));
    }
    try {
      return new PublishedKeySet(keys);
    } catch (IllegalArgumentException e) {
      throw new InvalidKeySetException(e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked") // A JSON object from Nimbus' parser is a Map<String, Object>.
  private static JWK parseJwk(Object entry, int index) throws InvalidKeySetException {
    try {
      if (entry instanceof Map<?, ?> map) {
        // Unlike JWKSet.parse, an unknown key type is refused, not silently skipped.
        return JWK.parse((Map<String, Object>) map);
      }
    } catch (ParseException e) {
      throw new InvalidKeySetException("key #" + index + " is not a valid JWK", e);
    }
    throw new InvalidKeySetException("key #" + index + " is not a JSON object");
  }

  /** The keys, in publication order. */
  public List<PublishedKey> keys() {
    return List.copyOf(keysByKid.values());
  }

  @Override
  public Optional<PublishedKey> find(String kid) {
    return Optional.ofNullable(keysByKid.get(kid));
  }

  public JWKSet toJwkSet() {
    return new JWKSet(keys().stream().map(PublishedKey::toJwk).toList());
  }

  /** The JWKS document, public keys only. */
  public String toJson() {
    return toJwkSet().toString(true);
  }

  @Override
  public String toString() {
    return "PublishedKeySet" + keysByKid.keySet();
  }
}
