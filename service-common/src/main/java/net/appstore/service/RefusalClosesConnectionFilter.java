package net.appstore.service;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;

/**
 * Answers that refuse a request with a body (401, 403, 413, 503, ...) say {@code Connection:
 * close}. Such refusals are sent before the body was read, and Jetty may then drop the connection
 * rather than read a body nobody wants; without the header a keep-alive client reuses the dropped
 * connection for its next request and gets no answer at all ("header parser received no bytes"),
 * and clients do not retry a POST. Requests without a body and successful answers keep the
 * connection.
 */
public final class RefusalClosesConnectionFilter implements Filter {

  static final int FIRST_REFUSAL_STATUS = 400;

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) request;
    if (hasBody(http)) {
      chain.doFilter(request, new ClosingOnRefusal((HttpServletResponse) response));
    } else {
      chain.doFilter(request, response);
    }
  }

  private static boolean hasBody(HttpServletRequest request) {
    return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
  }

  private static final class ClosingOnRefusal extends HttpServletResponseWrapper {

    ClosingOnRefusal(HttpServletResponse response) {
      super(response);
    }

    @Override
    public void setStatus(int status) {
      closeIfRefusal(status);
      super.setStatus(status);
    }

    @Override
    public void sendError(int status) throws IOException {
      closeIfRefusal(status);
      super.sendError(status);
    }

    @Override
    public void sendError(int status, String message) throws IOException {
      closeIfRefusal(status);
      super.sendError(status, message);
    }

    private void closeIfRefusal(int status) {
      if (status >= FIRST_REFUSAL_STATUS && !isCommitted()) {
        setHeader("Connection", "close");
      }
    }
  }
}
