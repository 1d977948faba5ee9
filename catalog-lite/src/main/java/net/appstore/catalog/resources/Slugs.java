package net.appstore.catalog.resources;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotFoundException;
import java.util.regex.Pattern;

/**
 * Checks path and query values before they reach a cache or the database: a value that cannot be a
 * slug or version is answered at once, and never becomes a cache key.
 */
final class Slugs {

  private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z.+*-]{1,32}");

  private Slugs() {}

  static String requireSlug(String value, String what) {
    if (value == null || !SLUG.matcher(value).matches()) {
      throw new NotFoundException("no " + what + " with that name");
    }
    return value;
  }

  /**
   * A page number from 1 to {@code maxPage}; anything else (also a non-number) is a 400, where
   * JAX-RS would answer 404 for an unparsable {@code int} parameter.
   */
  static int requirePage(String value, int maxPage) {
    int page;
    try {
      page = value == null ? 1 : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      page = 0;
    }
    if (page < 1 || page > maxPage) {
      throw new BadRequestException("page must be a number from 1 to " + maxPage);
    }
    return page;
  }

  static boolean isSlug(String value) {
    return value != null && SLUG.matcher(value).matches();
  }

  static boolean isVersion(String value) {
    return value != null && VERSION.matcher(value).matches();
  }
}
