package net.appstore.signer.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of every 4xx answer: {@code {"error": ..., "reason": ..., "fields": [...]}}. {@code
 * reason} is a stable code for programs; {@code fields} is present for 400 only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorResponse(
    @JsonProperty("error") String error,
    @JsonProperty("reason") String reason,
    @JsonProperty("fields") List<FieldError> fields) {

  public static ErrorResponse of(String error, String reason) {
    return new ErrorResponse(error, reason, null);
  }
}
