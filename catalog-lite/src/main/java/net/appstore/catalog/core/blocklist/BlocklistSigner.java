package net.appstore.catalog.core.blocklist;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Has a blocklist payload signed. The production implementation asks the signer service ({@link
 * HttpsBlocklistSigner}); the key never comes near the catalog.
 */
public interface BlocklistSigner {

  /**
   * Signs the RFC 8785 canonical form of {@code document}.
   *
   * @throws BlocklistSigningException if no signature could be obtained (signer down, refused)
   */
  SignedBlocklist sign(ObjectNode document) throws BlocklistSigningException;
}
