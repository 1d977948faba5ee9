package net.appstore.devservices.idp;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a token is asked for.
 *
 * @param subject the user id ({@code sub}): 1 to 64 of letters, digits, {@code . _ @ -}
 * @param role user or operator
 * @param audience the service the token is for ({@code aud}), e.g. {@code catalog}
 * @param lifetime from 1 second to 1 day
 */
public record TokenRequest(String subject, Role role, String audience, Duration lifetime) {

  public static final String DEFAULT_AUDIENCE = "catalog";
  public static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);
  private static final Pattern SUBJECT = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
  private static final Pattern AUDIENCE = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");

  public TokenRequest {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(lifetime, "lifetime");
    if (!SUBJECT.matcher(subject).matches()) {
      throw new IllegalArgumentException("subject must be 1 to 64 of letters, digits and . _ @ -");
    }
    if (!AUDIENCE.matcher(audience).matches()) {
      throw new IllegalArgumentException("audience is not a plain identifier");
    }
    if (lifetime.compareTo(Duration.ofSeconds(1)) < 0
        || lifetime.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("lifetime must be between 1 second and 1 day");
    }
  }

  public static TokenRequest of(String subject, Role role) {
    return new TokenRequest(subject, role, DEFAULT_AUDIENCE, DEFAULT_LIFETIME);
  }
}
