package net.appstore.keytool.cli;

import java.util.ArrayList;
import java.util.List;
import net.appstore.keys.KeyPurpose;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code receipt} or {@code blocklist}: the purposes of signing keys (the root has init). */
final class SigningPurposeConverter implements ITypeConverter<KeyPurpose> {

  static final class Candidates extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    Candidates() {
      super(List.of("receipt", "blocklist"));
    }
  }

  @Override
  public KeyPurpose convert(String value) {
    if ("receipt".equals(value)) {
      return KeyPurpose.RECEIPT;
    }
    if ("blocklist".equals(value)) {
      return KeyPurpose.BLOCKLIST;
    }
    throw new TypeConversionException(
        "'" + value + "' is not a signing key purpose (receipt or blocklist)");
  }
}
