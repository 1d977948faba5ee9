package net.appstore.devservices.idp;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;

/**
 * Command line of the development identity provider.
 *
 * <pre>
 * serve [--port N] [--key-file PATH] [--issuer URL]
 *     HTTPS with the PKCS#12 key store in $TLS_KEYSTORE (password $TLS_KEYSTORE_PASSWORD),
 *     plain HTTP when TLS_KEYSTORE is unset; port default $IDP_PORT or 18743; key file default
 *     $IDP_KEY_FILE or ./idp-signing-key.json (created on first start).
 * token [--operator] [--audience A] [--ttl SECONDS] [--idp-url URL] [--ca-cert PEM] USER
 *     asks a running IdP for a token and prints it; --idp-url default $IDP_URL, --ca-cert
 *     default $CA_CERT.
 * </pre>
 */
public final class DevIdpMain {

  public static final int DEFAULT_PORT = 18743;

  private DevIdpMain() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    if (args.length == 0) {
      err.println("usage: DevIdpMain serve [options] | token [options] USER");
      return 2;
    }
    Deque<String> rest = new ArrayDeque<>(List.of(args).subList(1, args.length));
    try {
      return switch (args[0]) {
        case "serve" -> serve(options(rest));
        case "token" -> token(options(rest), rest, out, err);
        default -> {
          err.println("unknown command: " + args[0]);
          yield 2;
        }
      };
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
  }

  private static int serve(Map<String, String> options) throws Exception {
    int port =
        Integer.parseInt(option(options, "port", "IDP_PORT", Integer.toString(DEFAULT_PORT)));
    Path keyFile = Path.of(option(options, "key-file", "IDP_KEY_FILE", "idp-signing-key.json"));
    String keyStore = System.getenv("TLS_KEYSTORE");
    SSLContext tls = null;
    if (keyStore != null && !keyStore.isBlank()) {
      String password = System.getenv("TLS_KEYSTORE_PASSWORD");
      tls = Tls.server(Path.of(keyStore), (password == null ? "" : password).toCharArray());
    }
    DevIdpServer server =
        DevIdpServer.start(
            InetAddress.getLoopbackAddress(),
            port,
            tls,
            IdpKey.loadOrCreate(keyFile),
            options.get("issuer"),
            Clock.systemUTC());
    System.out.println(
        "development IdP (tokens for anyone: loopback only) at "
            + server.baseUri()
            + ", issuer "
            + server.issuer());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                }));
    stopped.await();
    return 0;
  }

  private static int token(
      Map<String, String> options, Deque<String> rest, PrintStream out, PrintStream err)
      throws IOException, GeneralSecurityException, InterruptedException {
    if (rest.size() != 1) {
      throw new IllegalArgumentException("token needs exactly one USER");
    }
    String user = rest.pop();
    String idpUrl = option(options, "idp-url", "IDP_URL", null);
    if (idpUrl == null) {
      throw new IllegalArgumentException("--idp-url or IDP_URL is required");
    }
    String caCert = option(options, "ca-cert", "CA_CERT", null);
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (caCert != null) {
      client.sslContext(Tls.trusting(Path.of(caCert)));
    }
    String form =
        "username="
            + URLEncoder.encode(user, StandardCharsets.UTF_8)
            + "&role="
            + (options.containsKey("operator") ? "operator" : "user")
            + "&audience="
            + URLEncoder.encode(
                options.getOrDefault("audience", TokenRequest.DEFAULT_AUDIENCE),
                StandardCharsets.UTF_8)
            + (options.containsKey("ttl")
                ? "&expires_in=" + Long.parseLong(options.get("ttl"))
                : "");
    URI endpoint = URI.create(idpUrl.endsWith("/") ? idpUrl : idpUrl + "/").resolve("token");
    HttpResponse<String> response =
        client
            .build()
            .send(
                HttpRequest.newBuilder(endpoint)
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      err.println("IdP answered " + response.statusCode() + ": " + response.body());
      return 1;
    }
    try {
      out.println(
          JSONObjectUtils.getString(JSONObjectUtils.parse(response.body()), "access_token"));
    } catch (java.text.ParseException e) {
      err.println("IdP answered with something that is not a token response");
      return 1;
    }
    return 0;
  }

  /**
   * {@code --name value} and bare {@code --flag} options, removed from the front of {@code args}.
   */
  private static Map<String, String> options(Deque<String> args) {
    Map<String, String> options = new HashMap<>();
    while (!args.isEmpty() && args.peek().startsWith("--")) {
      String name = args.pop().substring(2);
      if (name.equals("operator")) {
        options.put(name, "true");
      } else if (args.isEmpty()) {
        throw new IllegalArgumentException("--" + name + " needs a value");
      } else {
        options.put(name, args.pop());
      }
    }
    return options;
  }

  private static String option(
      Map<String, String> options, String name, String env, String fallback) {
    String value = options.get(name);
    if (value == null && env != null) {
      value = System.getenv(env);
    }
    return value == null || value.isBlank() ? fallback : value;
  }
}
