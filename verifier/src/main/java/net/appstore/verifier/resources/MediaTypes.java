package net.appstore.verifier.resources;

import java.util.Enumeration;
import java.util.Locale;

/**
 * The little content negotiation {@code POST /v1/verify} does, as its former Jersey resource
 * ({@code @Consumes(*&#47;*)}, {@code @Produces(application/json)}) did it: any well-formed
 * Content-Type is taken, JSON ones are read as {@code {"receipt": ...}}; an answer is refused (406)
 * only to a caller whose Accept header rules JSON out. Type names compare case-insensitively.
 * Stateless.
 */
final class MediaTypes {

  private static final String SEPARATORS = "()<>@,;:\\\"/[]?={} \t";

  private MediaTypes() {}

  /** Absent, or {@code type/subtype} with tokens on both sides (parameters are not checked). */
  static boolean isWellFormed(String contentType) {
    if (contentType == null) {
      return true;
    }
    String type = withoutParameters(contentType);
    int slash = type.indexOf('/');
    return slash > 0 && isToken(type, 0, slash) && isToken(type, slash + 1, type.length());
  }

  /** {@code application/json} or {@code application/*+json}, parameters ignored. */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = withoutParameters(contentType).toLowerCase(Locale.ROOT);
    return type.equals("application/json")
        || (type.startsWith("application/") && type.endsWith("+json"));
  }

  /**
   * Whether one of the Accept headers' media ranges with a non-zero quality covers {@code
   * application/json}; true when there is no Accept header.
   */
  static boolean acceptsJson(Enumeration<String> acceptHeaders) {
    if (acceptHeaders == null || !acceptHeaders.hasMoreElements()) {
      return true;
    }
    while (acceptHeaders.hasMoreElements()) {
      for (String range : acceptHeaders.nextElement().split(",")) {
        String type = withoutParameters(range).toLowerCase(Locale.ROOT);
        boolean covers =
            type.equals("*/*") || type.equals("application/*") || type.equals("application/json");
        if (covers && !hasZeroQuality(range)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean hasZeroQuality(String range) {
    for (String parameter : range.split(";")) {
      String p = parameter.strip().toLowerCase(Locale.ROOT);
      if (p.startsWith("q=")) {
        try {
          return Double.parseDouble(p.substring(2)) <= 0;
        } catch (NumberFormatException e) {
          return false;
        }
      }
    }
    return false;
  }

  private static String withoutParameters(String mediaType) {
    int end = mediaType.indexOf(';');
    return (end < 0 ? mediaType : mediaType.substring(0, end)).strip();
  }

  private static boolean isToken(String s, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c <= 32 || c >= 127 || SEPARATORS.indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }
}
