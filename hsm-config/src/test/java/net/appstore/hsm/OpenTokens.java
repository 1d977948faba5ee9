package net.appstore.hsm;

import net.appstore.testkit.softhsm.SoftHsmToken;

/** Opens the fixture's token through hsm-config, as a service would. */
final class OpenTokens {

  private OpenTokens() {}

  static HsmSettings settings(SoftHsmToken softHsm) {
    return new HsmSettings(softHsm.library(), softHsm.label());
  }

  static HsmToken open(SoftHsmToken softHsm) throws HsmException {
    return HsmToken.open(settings(softHsm), softHsm.userPin());
  }
}
