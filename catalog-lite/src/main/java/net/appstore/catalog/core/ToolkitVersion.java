package net.appstore.catalog.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A version string compared the way the Mozilla toolkit compares versions, so update checks and
 * blocklist ranges agree with what clients of the Firefox update protocol expect.
 *
 * <p>A version is dot-separated parts; each part is {@code <number-a><string-b><number-c>
 * <string-d>}, every piece optional. Missing parts and numbers are 0 ({@code 1 == 1.0 == 1.0.0});
 * {@code *} as number-a is larger than any number; string-b {@code +} means "number-a plus one,
 * pre" ({@code 1.0+ == 1.1pre}); an absent string sorts <em>after</em> any present one ({@code
 * 1.0b1 < 1.0}); strings compare by their UTF-16 code units. Immutable.
 */
public final class ToolkitVersion implements Comparable<ToolkitVersion> {

  private static final long INFINITY = Long.MAX_VALUE;

  /** Longer numbers are clamped: no real version has them, and it avoids overflow. */
  private static final int MAX_DIGITS = 15;

  private final String text;
  private final List<Part> parts;

  private ToolkitVersion(String text, List<Part> parts) {
    this.text = text;
    this.parts = parts;
  }

  public static ToolkitVersion parse(String text) {
    List<Part> parts = new ArrayList<>();
    for (String piece : text.split("\\.", -1)) {
      parts.add(Part.parse(piece));
    }
    return new ToolkitVersion(text, List.copyOf(parts));
  }

  /** Compares two version strings. */
  public static int compare(String a, String b) {
    return parse(a).compareTo(parse(b));
  }

  @Override
  public int compareTo(ToolkitVersion other) {
    int n = Math.max(parts.size(), other.parts.size());
    for (int i = 0; i < n; i++) {
      Part a = i < parts.size() ? parts.get(i) : Part.ZERO;
      Part b = i < other.parts.size() ? other.parts.get(i) : Part.ZERO;
      int c = a.compareTo(b);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ToolkitVersion v && compareTo(v) == 0;
  }

  @Override
  public int hashCode() {
    return 0; // equal versions may be spelt differently ("1" and "1.0"); rarely hashed
  }

  @Override
  public String toString() {
    return text;
  }

  private record Part(long a, String b, long c, String d) implements Comparable<Part> {

    static final Part ZERO = new Part(0, null, 0, null);

    static Part parse(String s) {
      int[] pos = {0};
      long a;
      if (s.startsWith("*")) {
        a = INFINITY;
        pos[0] = 1;
      } else {
        a = number(s, pos);
      }
      String b = string(s, pos);
      if ("+".equals(b)) {
        return new Part(a == INFINITY ? a : a + 1, "pre", 0, null);
      }
      long c = number(s, pos);
      String d = pos[0] < s.length() ? s.substring(pos[0]) : null;
      return new Part(a, b, c, d);
    }

    private static long number(String s, int[] pos) {
      int start = pos[0];
      while (pos[0] < s.length() && Character.isDigit(s.charAt(pos[0])) && s.charAt(pos[0]) < 128) {
        pos[0]++;
      }
      if (pos[0] == start) {
        return 0;
      }
      String digits = s.substring(start, pos[0]);
      return digits.length() > MAX_DIGITS ? INFINITY - 1 : Long.parseLong(digits);
    }

    private static String string(String s, int[] pos) {
      int start = pos[0];
      while (pos[0] < s.length() && !(s.charAt(pos[0]) >= '0' && s.charAt(pos[0]) <= '9')) {
        pos[0]++;
      }
      return pos[0] == start ? null : s.substring(start, pos[0]);
    }

    @Override
    public int compareTo(Part o) {
      int r = Long.compare(a, o.a);
      if (r == 0) {
        r = compareStrings(b, o.b);
      }
      if (r == 0) {
        r = Long.compare(c, o.c);
      }
      if (r == 0) {
        r = compareStrings(d, o.d);
      }
      return r;
    }

    /** A missing string is greater than any present one (release after pre-release). */
    private static int compareStrings(String x, String y) {
      if (x == null) {
        return y == null ? 0 : 1;
      }
      if (y == null) {
        return -1;
      }
      return Integer.signum(x.compareTo(y));
    }
  }
}
