package net.appstore.devservices.idp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import net.appstore.testkit.tls.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevIdpServerTest {

  @TempDir static Path dir;
  private static TestPki pki;
  private static DevIdpServer idp;
  private static HttpClient client;

  @BeforeAll
  static void startIdp() throws Exception {
    pki = TestPki.create(dir.resolve("pki"));
    SSLContext serverTls = Tls.server(pki.serverKeyStore(), TestPki.PASSWORD.toCharArray());
    idp =
        DevIdpServer.start(
            InetAddress.getLoopbackAddress(),
            0,
            serverTls,
            IdpKey.loadOrCreate(dir.resolve("idp/key.json")),
            null,
            Clock.systemUTC());
    client = HttpClient.newBuilder().sslContext(Tls.trusting(pki.caPem())).build();
  }

  @AfterAll
  static void stopIdp() {
    idp.close();
  }

  @Test
  void tokenEndpoint_userToken_verifiesAgainstServedJwksWithUserRole() throws Exception {
    String token = post("username=alice");

    JWTClaimsSet claims = verify(token);
    assertThat(claims.getSubject()).isEqualTo("alice");
    assertThat(claims.getStringListClaim("roles")).containsExactly("user");
    assertThat(claims.getAudience()).containsExactly("catalog");
    assertThat(claims.getIssuer()).isEqualTo(idp.issuer());
  }

  @Test
  void tokenEndpoint_operatorRole_tokenCarriesOperatorRole() throws Exception {
    JWTClaimsSet claims = verify(post("username=ops1&role=operator"));

    assertThat(claims.getStringListClaim("roles")).containsExactly("user", "operator");
  }

  @Test
  void tokenEndpoint_badUsername_400() throws Exception {
    HttpResponse<String> response = send("username=bad%20name");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("invalid_request");
  }

  @Test
  void discovery_servedOverHttps_namesIssuerAndJwks() throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(idp.baseUri().resolve(".well-known/openid-configuration"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    Map<String, Object> doc = JSONObjectUtils.parse(response.body());
    assertThat(doc).containsEntry("issuer", idp.issuer());
    assertThat(doc).containsEntry("jwks_uri", idp.jwksUri().toString());
  }

  @Test
  void jwks_servesPublicKeyOnly() throws Exception {
    JWKSet jwks = fetchJwks();

    assertThat(jwks.getKeys()).hasSize(1);
    assertThat(jwks.getKeys().get(0).isPrivate()).isFalse();
  }

  @Test
  void loadOrCreate_existingFile_sameKeyAndOwnerOnlyPermissions() throws Exception {
    Path file = dir.resolve("idp/key.json");
    IdpKey again = IdpKey.loadOrCreate(file);

    assertThat(again.kid()).isEqualTo(fetchJwks().getKeys().get(0).getKeyID());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void start_nonLoopbackAddress_refused() {
    assertThatThrownBy(
            () ->
                DevIdpServer.start(
                    InetAddress.getByName("0.0.0.0"),
                    0,
                    null,
                    IdpKey.generate(),
                    null,
                    Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loopback");
  }

  @Test
  void tokenCommand_runningIdp_printsVerifiableToken() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int rc =
        DevIdpMain.run(
            new String[] {
              "token",
              "--idp-url",
              idp.baseUri().toString(),
              "--ca-cert",
              pki.caPem().toString(),
              "--operator",
              "carol"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();
    JWTClaimsSet claims = verify(out.toString(StandardCharsets.UTF_8).strip());
    assertThat(claims.getSubject()).isEqualTo("carol");
    assertThat(claims.getStringListClaim("roles")).contains("operator");
  }

  private static String post(String form) throws Exception {
    HttpResponse<String> response = send(form);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSONObjectUtils.getString(JSONObjectUtils.parse(response.body()), "access_token");
  }

  private static HttpResponse<String> send(String form) throws Exception {
    return client.send(
        HttpRequest.newBuilder(idp.baseUri().resolve("token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JWKSet fetchJwks() throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create(idp.jwksUri().toString())).build(),
            HttpResponse.BodyHandlers.ofString());
    return JWKSet.parse(response.body());
  }

  private static JWTClaimsSet verify(String token) throws Exception {
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(fetchJwks())));
    processor.setJWTClaimsSetVerifier(
        new DefaultJWTClaimsVerifier<>(
            "catalog",
            new JWTClaimsSet.Builder().issuer(idp.issuer()).build(),
            Set.of("sub", "exp", "iat", "jti")));
    return processor.process(token, null);
  }
}
