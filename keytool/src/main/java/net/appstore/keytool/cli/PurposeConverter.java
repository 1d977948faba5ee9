package net.appstore.keytool.cli;

import net.appstore.keys.KeyPurpose;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code root}, {@code receipt} or {@code blocklist}. */
final class PurposeConverter implements ITypeConverter<KeyPurpose> {

  @Override
  public KeyPurpose convert(String value) {
    try {
      return KeyPurpose.fromWireName(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
