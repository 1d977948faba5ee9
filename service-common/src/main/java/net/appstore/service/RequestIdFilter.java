package net.appstore.service;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is a plausible id (so a
 * purchase can be followed from the store through the signer), a new random (version 4) UUID
 * otherwise. The id is echoed in the response and put in the logging context as {@code request_id}.
 *
 * <p>The new ids come from {@link ThreadLocalRandom}, not {@link UUID#randomUUID()}: an id only
 * correlates log lines and is no secret (any caller may choose its own), and {@code randomUUID}'s
 * shared {@code SecureRandom} took about 1 µs of every verification under load, behind a lock all
 * request threads share (docs/BENCHMARKS.md, "Verifier").
 */
public final class RequestIdFilter implements Filter {

  public static final String HEADER = "X-Request-Id";
  public static final String MDC_KEY = "request_id";
  private static final Pattern PLAUSIBLE = Pattern.compile("[A-Za-z0-9._-]{8,64}");

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String offered = ((HttpServletRequest) request).getHeader(HEADER);
    String id = offered != null && PLAUSIBLE.matcher(offered).matches() ? offered : newId();
    ((HttpServletResponse) response).setHeader(HEADER, id);
    MDC.put(MDC_KEY, id);
    try {
      chain.doFilter(request, response);
    } finally {
      MDC.remove(MDC_KEY);
    }
  }

  /** The current request's id, for outbound calls that should carry it on. */
  public static String current() {
    String id = MDC.get(MDC_KEY);
    return id != null ? id : newId();
  }

  /** A random version 4, variant 1 (RFC 9562) UUID, as {@code randomUUID} would spell it. */
  static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & ~(0x3L << 62)) | (0x2L << 62);
    return new UUID(high, low).toString();
  }
}
