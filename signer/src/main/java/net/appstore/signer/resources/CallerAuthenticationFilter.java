package net.appstore.signer.resources;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;
import net.appstore.signer.core.Caller;
import net.appstore.signer.core.CallerPolicy;
import net.appstore.signer.core.SignatureMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Authenticates callers of {@code /v1/*} by their TLS client certificate, before any body is read.
 * The HTTPS connector asks for a certificate ({@code wantClientAuth}) and lets the handshake fail
 * for one its trust store (the deployment CA) does not vouch for, so the JWKS stays public while
 * here: no certificate → 401; a certificate whose subject has not exactly one CN, or whose CN is
 * not a configured caller → 403. The caller is then a request attribute and {@code caller} in the
 * logging context.
 *
 * <p>Thread-safe.
 */
public final class CallerAuthenticationFilter implements Filter {

  private static final Logger LOG = LoggerFactory.getLogger(CallerAuthenticationFilter.class);
  private static final String CERTIFICATES = "jakarta.servlet.request.X509Certificate";
  private static final String ATTRIBUTE = Caller.class.getName();

  private final CallerPolicy policy;
  private final SignatureMetrics metrics;

  public CallerAuthenticationFilter(CallerPolicy policy, SignatureMetrics metrics) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** The caller this filter authenticated for the request. */
  public static Caller caller(HttpServletRequest request) {
    Object caller = request.getAttribute(ATTRIBUTE);
    if (!(caller instanceof Caller c)) {
      throw new IllegalStateException("no authenticated caller: is the filter mapped?");
    }
    return c;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) resp;
    Object certificates = request.getAttribute(CERTIFICATES);
    if (!(certificates instanceof X509Certificate[] presented) || presented.length == 0) {
      metrics.rejection("UNAUTHENTICATED");
      JsonErrors.write(response, 401, "a client certificate is required", "UNAUTHENTICATED");
      return;
    }
    Optional<Caller> caller = commonName(presented[0]).flatMap(policy::caller);
    if (caller.isEmpty()) {
      metrics.rejection("CALLER_NOT_ALLOWED");
      LOG.warn("refused client certificate {}", presented[0].getSubjectX500Principal());
      JsonErrors.write(response, 403, "this caller may not use the signer", "CALLER_NOT_ALLOWED");
      return;
    }
    request.setAttribute(ATTRIBUTE, caller.get());
    MDC.put("caller", caller.get().name());
    try {
      chain.doFilter(req, resp);
    } finally {
      MDC.remove("caller");
    }
  }

  /** The subject's CN if it has exactly one. */
  static Optional<String> commonName(X509Certificate certificate) {
    try {
      LdapName name =
          new LdapName(certificate.getSubjectX500Principal().getName(X500Principal.RFC2253));
      List<String> names =
          name.getRdns().stream()
              .filter(rdn -> rdn.getType().equalsIgnoreCase("CN"))
              .map(Rdn::getValue)
              .map(String::valueOf)
              .toList();
      return names.size() == 1 ? Optional.of(names.get(0)) : Optional.empty();
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
  }
}
