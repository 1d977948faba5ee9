package net.appstore.signer.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One problem with one input field, as answered in a 400. Never echoes the value: values may be
 * personal data or attacker-chosen, and responses end up in logs.
 *
 * @param field the field's path, e.g. {@code product.url}; empty for the body as a whole
 * @param reason what is wrong, for a person
 */
public record FieldError(
    @JsonProperty("field") String field, @JsonProperty("reason") String reason) {}
