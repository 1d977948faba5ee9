package net.appstore.keytool.lifecycle;

import net.appstore.keytool.ExitCode;
import net.appstore.keytool.KeytoolException;

/** A lifecycle step that the rules refuse; the message says why and what to do instead. */
public final class LifecycleRefusedException extends KeytoolException {
  private static final long serialVersionUID = 1L;

  public LifecycleRefusedException(String message) {
    super(ExitCode.REFUSED, message);
  }
}
