package net.appstore.testkit.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PKI for tests of real HTTPS and mutual TLS: a CA, a server certificate for {@code
 * localhost}/{@code 127.0.0.1}, and client certificates for named callers, as PKCS#12 key stores
 * and PEM files. Made with the JDK's {@code keytool} command, so the test kit needs no crypto
 * library. Not thread-safe; create one per test class (each takes a few seconds).
 */
public final class TestPki {

  /** Password of every key store made here (test-only material). */
  public static final String PASSWORD = "changeit";

  private final Path dir;
  private final String keytool;

  private TestPki(Path dir) {
    this.dir = dir;
    this.keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
  }

  private static TestPki shared;

  /**
   * One PKI per JVM, made on first use in a temporary directory removed at exit: keytool runs cost
   * about a second each, and test classes need not each have their own CA.
   */
  public static synchronized TestPki shared() {
    if (shared == null) {
      try {
        Path dir = Files.createTempDirectory("testkit-pki-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
        shared = create(dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort at JVM exit: the directory is under java.io.tmpdir
    }
  }

  /** Creates the CA, the server key store and the trust store in {@code dir}. */
  public static TestPki create(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TestPki pki = new TestPki(dir);
    pki.run(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=test CA",
        "-ext",
        "bc:c",
        "-validity",
        "3650",
        "-keystore",
        pki.caKeyStore().toString());
    pki.run(
        "-exportcert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        pki.caKeyStore().toString(),
        "-file",
        pki.caPem().toString());
    pki.run(
        "-importcert",
        "-noprompt",
        "-alias",
        "ca",
        "-file",
        pki.caPem().toString(),
        "-keystore",
        pki.trustStore().toString());
    pki.issue("server", "CN=localhost", "san=dns:localhost,ip:127.0.0.1", "eku=serverAuth");
    return pki;
  }

  /** Issues (once) a client certificate whose subject is {@code CN=name}; returns its key store. */
  public synchronized Path issueClient(String name) {
    Path store = dir.resolve(name + ".p12");
    return Files.exists(store) ? store : issue(name, "CN=" + name, null, "eku=clientAuth");
  }

  private Path issue(String alias, String dname, String san, String eku) {
    Path store = dir.resolve(alias + ".p12");
    Path csr = dir.resolve(alias + ".csr");
    Path cer = dir.resolve(alias + ".cer");
    run(
        "-genkeypair",
        "-alias",
        alias,
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        dname,
        "-keystore",
        store.toString());
    run("-certreq", "-alias", alias, "-keystore", store.toString(), "-file", csr.toString());
    List<String> gencert =
        new ArrayList<>(
            List.of(
                "-gencert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                caKeyStore().toString(),
                "-infile",
                csr.toString(),
                "-outfile",
                cer.toString(),
                "-validity",
                "365",
                "-ext",
                eku));
    if (san != null) {
      gencert.addAll(List.of("-ext", san));
    }
    run(gencert.toArray(String[]::new));
    run(
        "-importcert",
        "-noprompt",
        "-alias",
        "ca",
        "-file",
        caPem().toString(),
        "-keystore",
        store.toString());
    run(
        "-importcert",
        "-noprompt",
        "-alias",
        alias,
        "-file",
        cer.toString(),
        "-keystore",
        store.toString());
    run("-delete", "-alias", "ca", "-keystore", store.toString());
    return store;
  }

  public Path caPem() {
    return dir.resolve("ca.pem");
  }

  public Path trustStore() {
    return dir.resolve("truststore.p12");
  }

  public Path serverKeyStore() {
    return dir.resolve("server.p12");
  }

  private Path caKeyStore() {
    return dir.resolve("ca.p12");
  }

  private void run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(keytool);
    command.addAll(List.of(args));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool " + args[0] + " failed: " + output.strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running keytool", e);
    }
  }
}
