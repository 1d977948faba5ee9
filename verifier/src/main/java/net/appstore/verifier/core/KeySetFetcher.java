package net.appstore.verifier.core;

import net.appstore.receipt.keys.PublishedKeySet;

/** Fetches the published key set (JWKS) from wherever the signer publishes it. */
@FunctionalInterface
public interface KeySetFetcher {

  /**
   * @return the parsed set; its keys are not trusted yet (the pinned root decides that per token)
   * @throws KeySetFetchException if the set cannot be fetched or does not parse
   */
  PublishedKeySet fetch() throws KeySetFetchException;
}
