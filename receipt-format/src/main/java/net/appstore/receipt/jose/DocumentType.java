package net.appstore.receipt.jose;

import com.nimbusds.jose.JOSEObjectType;

/**
 * The kinds of document the signer signs, told apart by the header {@code typ}. Checking it stops a
 * signed blocklist from being accepted as a receipt and the other way round (a cross-document
 * confusion that signature checks alone would not catch, since the JWKS holds both keys).
 */
public enum DocumentType {
  RECEIPT("receipt+jwt"),
  BLOCKLIST("blocklist+jwt");

  private final String headerType;

  DocumentType(String headerType) {
    this.headerType = headerType;
  }

  /**
   * The exact header {@code typ}. Compared case-sensitively and without the {@code application/}
   * prefix RFC 7515 would tolerate: our signer writes exactly this, so anything else is not ours.
   */
  public String headerType() {
    return headerType;
  }

  JOSEObjectType joseObjectType() {
    return new JOSEObjectType(headerType);
  }
}
