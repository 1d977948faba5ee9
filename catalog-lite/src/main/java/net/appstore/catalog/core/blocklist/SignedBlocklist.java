package net.appstore.catalog.core.blocklist;

/** What the signer returned: the compact JWS (header {@code typ: blocklist+jwt}) and its kid. */
public record SignedBlocklist(String token, String kid) {

  @Override
  public String toString() {
    return "SignedBlocklist{kid=" + kid + ", " + token.length() + " chars}";
  }
}
