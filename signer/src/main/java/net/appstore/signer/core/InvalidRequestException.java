package net.appstore.signer.core;

import java.util.List;
import net.appstore.signer.api.FieldError;

/** The request body is not acceptable: 400 with every field-level problem found. */
public final class InvalidRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<FieldError> errors;

  public InvalidRequestException(List<FieldError> errors) {
    super(errors.size() + " invalid field(s)");
    this.errors = List.copyOf(errors);
  }

  public static InvalidRequestException of(String field, String reason) {
    return new InvalidRequestException(List.of(new FieldError(field, reason)));
  }

  public List<FieldError> errors() {
    return errors;
  }
}
