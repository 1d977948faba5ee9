package net.appstore.catalog.core.blocklist;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;

/** Where the publisher gets the signer's public keys to check a signature before publishing. */
@FunctionalInterface
public interface JwksSource {

  /**
   * @throws IOException if the key set cannot be fetched or parsed
   */
  JWKSet fetch() throws IOException;
}
