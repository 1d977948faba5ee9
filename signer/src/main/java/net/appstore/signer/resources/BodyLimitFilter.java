package net.appstore.signer.resources;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import net.appstore.signer.core.SignatureMetrics;

/**
 * Refuses a request body larger than the limit with 413 before anything parses it: a declared
 * {@code Content-Length} above the limit is refused unread, and a body without one (chunked) is
 * read at most one byte past the limit. An accepted body is handed on from memory.
 *
 * <p>Thread-safe.
 */
public final class BodyLimitFilter implements Filter {

  private final int maxBytes;
  private final SignatureMetrics metrics;

  public BodyLimitFilter(int maxBytes, SignatureMetrics metrics) {
    this.maxBytes = maxBytes;
    this.metrics = metrics;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    if (request.getContentLengthLong() > maxBytes) {
      refuse((HttpServletResponse) resp);
      return;
    }
    byte[] body = request.getInputStream().readNBytes(maxBytes + 1);
    if (body.length > maxBytes) {
      refuse((HttpServletResponse) resp);
      return;
    }
    chain.doFilter(new BufferedRequest(request, body), resp);
  }

  private void refuse(HttpServletResponse response) throws IOException {
    metrics.rejection("BODY_TOO_LARGE");
    response.setHeader("Connection", "close");
    JsonErrors.write(
        response, 413, "the body is larger than " + maxBytes + " bytes", "BODY_TOO_LARGE");
  }

  /** The request with its body already read. */
  private static final class BufferedRequest extends HttpServletRequestWrapper {
    private final byte[] body;

    BufferedRequest(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }

    @Override
    public ServletInputStream getInputStream() {
      InputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() throws IOException {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          try {
            return in.available() == 0;
          } catch (IOException e) {
            return true;
          }
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("the body is already read");
        }
      };
    }
  }
}
