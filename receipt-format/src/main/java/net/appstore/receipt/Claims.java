package net.appstore.receipt;

import java.net.URI;
import java.util.Objects;

/** Argument checks shared by the claim records. */
final class Claims {

  private Claims() {}

  static URI requireAbsolute(URI uri, String name) {
    Objects.requireNonNull(uri, name);
    if (!uri.isAbsolute()) {
      throw new IllegalArgumentException(name + " must be an absolute URI");
    }
    return uri;
  }
}
