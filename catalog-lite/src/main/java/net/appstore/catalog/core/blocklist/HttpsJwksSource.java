package net.appstore.catalog.core.blocklist;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** Fetches a JWKS over HTTPS, fresh on each call (publication is rare). Thread-safe. */
public final class HttpsJwksSource implements JwksSource {

  private static final int MAX_BYTES = 256 * 1024;
  private final URI url;
  private final HttpClient client;
  private final Duration timeout;

  public HttpsJwksSource(URI url, SSLContext tls, Duration timeout) {
    this.url = url;
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().sslContext(tls).connectTimeout(timeout).build();
  }

  @Override
  public JWKSet fetch() throws IOException {
    try {
      HttpResponse<byte[]> response =
          client.send(
              HttpRequest.newBuilder(url).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new IOException("JWKS at " + url + " answered " + response.statusCode());
      }
      if (response.body().length > MAX_BYTES) {
        throw new IOException("JWKS at " + url + " is larger than " + MAX_BYTES + " bytes");
      }
      return JWKSet.parse(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
    } catch (ParseException e) {
      throw new IOException("JWKS at " + url + " is not a JWK set", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching " + url, e);
    }
  }
}
