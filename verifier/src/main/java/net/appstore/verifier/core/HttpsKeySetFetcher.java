package net.appstore.verifier.core;

import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLSocketFactory;
import net.appstore.receipt.keys.InvalidKeySetException;
import net.appstore.receipt.keys.PublishedKeySet;

/**
 * Fetches the JWKS from one configured HTTPS URL, trusting the deployment's CA for the connection,
 * with connect and read timeouts and a size limit. It never fetches any other URL: a token cannot
 * make the verifier connect anywhere ({@code jku} and {@code x5u} are refused before any key is
 * looked up).
 *
 * <p>The transport only has to be available, not trusted: a key is used only if its certificate
 * chains to the pinned root. Thread-safe.
 */
public final class HttpsKeySetFetcher implements KeySetFetcher {

  private final URL url;
  private final DefaultResourceRetriever retriever;

  /**
   * @throws IllegalArgumentException if {@code jwksUrl} is not an absolute https URL
   */
  public HttpsKeySetFetcher(
      URI jwksUrl,
      SSLSocketFactory tls,
      Duration connectTimeout,
      Duration readTimeout,
      int maxBytes) {
    if (!"https"
        .equals(
            jwksUrl.getScheme() == null ? null : jwksUrl.getScheme().toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("the JWKS URL must be https: " + jwksUrl);
    }
    try {
      this.url = jwksUrl.toURL();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not a URL: " + jwksUrl, e);
    }
    this.retriever =
        new DefaultResourceRetriever(
            Math.toIntExact(connectTimeout.toMillis()),
            Math.toIntExact(readTimeout.toMillis()),
            maxBytes,
            true,
            tls);
  }

  @Override
  public PublishedKeySet fetch() throws KeySetFetchException {
    Resource resource;
    try {
      resource = retriever.retrieveResource(url);
    } catch (IOException e) {
      throw new KeySetFetchException("JWKS not fetched from " + url + ": " + e.getMessage(), e);
    }
    try {
      return PublishedKeySet.parse(resource.getContent());
    } catch (InvalidKeySetException e) {
      throw new KeySetFetchException("JWKS from " + url + " refused: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "HttpsKeySetFetcher[" + url + "]";
  }
}
