package net.appstore.testkit.softhsm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Hands out one fresh token per test class, creating tokens with softhsm2-util.
 *
 * <p>Why a pool: SoftHSM2 lists its tokens once, when a JVM first initialises the library; a token
 * created afterwards is invisible to that JVM (measured with SoftHSM2 2.6.1: C_GetSlotList shows
 * only the free slot, with an empty label). So while the library is not yet loaded, every hand-out
 * tops up a stock of spare tokens for the test classes still to come; once it is loaded, classes
 * get spares. Running out fails with a message saying what to raise. The alternative, a new JVM per
 * test class ({@code reuseForks=false}), is correct too but costs a JVM start per class.
 *
 * <p>Tokens live until the JVM exits, then their directories are deleted. Thread-safe.
 */
final class SoftHsmTokenPool {

  /** System property: spare tokens kept ready per JVM. */
  static final String SPARES_PROPERTY = "testkit.softhsm.spareTokens";

  /** System property: the PKCS#11 library path. */
  static final String LIBRARY_PROPERTY = "testkit.softhsm.library";

  static final int DEFAULT_SPARES = 32;
  static final Path DEFAULT_LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");

  private static final SecureRandom RANDOM = new SecureRandom();
  private static SoftHsmTokenPool jvmPool;

  private final Path conf;
  private final Path tokenDir;
  private final Path library;
  private final int spares;
  private final BooleanSupplier libraryLoaded;
  private final SoftHsmUtil util;
  private final Deque<SoftHsmToken> stock = new ArrayDeque<>();
  private final List<SoftHsmToken> created = new ArrayList<>();

  SoftHsmTokenPool(Path conf, Path library, int spares, BooleanSupplier libraryLoaded) {
    this.conf = conf.toAbsolutePath();
    this.tokenDir = SoftHsmConf.ensure(this.conf);
    this.library = library;
    this.spares = spares;
    this.libraryLoaded = libraryLoaded;
    this.util = new SoftHsmUtil(this.conf);
  }

  /** The pool of this JVM, for the conf named by SOFTHSM2_CONF. */
  static synchronized SoftHsmTokenPool forThisJvm() {
    if (jvmPool == null) {
      String conf = System.getenv("SOFTHSM2_CONF");
      if (conf == null || conf.isBlank()) {
        throw new IllegalStateException(
            "SOFTHSM2_CONF is not set for this test JVM. SoftHSM2 reads it once per process, so"
                + " set it in the module's surefire configuration: <environmentVariables>"
                + "<SOFTHSM2_CONF>${project.build.directory}/softhsm/softhsm2.conf"
                + "</SOFTHSM2_CONF></environmentVariables>");
      }
      Path library = Path.of(System.getProperty(LIBRARY_PROPERTY, DEFAULT_LIBRARY.toString()));
      int spares = Integer.getInteger(SPARES_PROPERTY, DEFAULT_SPARES);
      SoftHsmTokenPool pool =
          new SoftHsmTokenPool(
              Path.of(conf), library, spares, () -> LoadedLibraries.isLoaded(library));
      Runtime.getRuntime()
          .addShutdownHook(new Thread(pool::deleteCreated, "softhsm-token-cleanup"));
      jvmPool = pool;
    }
    return jvmPool;
  }

  /** A token no one else in this JVM has had. */
  synchronized SoftHsmToken take() {
    if (!libraryLoaded.getAsBoolean()) {
      while (stock.size() <= spares) {
        stock.add(create());
      }
    }
    if (stock.isEmpty()) {
      throw new IllegalStateException(
          "no spare SoftHSM2 token left: this JVM loaded the SoftHSM2 library before the fixture"
              + " could create one, and the library does not see tokens created later. Raise"
              + " -D"
              + SPARES_PROPERTY
              + " (now "
              + spares
              + ") in the surefire systemPropertyVariables, use the fixture in every test that"
              + " touches SoftHSM2, or run test classes in their own JVM (reuseForks=false).");
    }
    return stock.poll();
  }

  private SoftHsmToken create() {
    String label = "junit-" + ProcessHandle.current().pid() + "-" + hex(4);
    char[] userPin = digits(8);
    char[] soPin = digits(10);
    Set<Path> before = tokenDirectories();
    util.initToken(label, soPin, userPin);
    SoftHsmToken token =
        new SoftHsmToken(label, userPin, soPin, conf, library, directoryOf(label, before));
    created.add(token);
    return token;
  }

  /** The new token's directory: SoftHSM2 names it by a UUID; its token.object holds the label. */
  private Path directoryOf(String label, Set<Path> before) {
    byte[] needle = label.getBytes(StandardCharsets.US_ASCII);
    for (Path candidate : tokenDirectories()) {
      if (!before.contains(candidate) && contains(candidate.resolve("token.object"), needle)) {
        return candidate;
      }
    }
    throw new IllegalStateException("softhsm2-util created no directory for token " + label);
  }

  private Set<Path> tokenDirectories() {
    try (Stream<Path> entries = Files.list(tokenDir)) {
      return new HashSet<>(entries.filter(Files::isDirectory).toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean contains(Path file, byte[] needle) {
    byte[] haystack;
    try {
      haystack = Files.readAllBytes(file);
    } catch (IOException e) {
      return false;
    }
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** Deletes the files of every token this pool created; best effort, at JVM exit. */
  synchronized void deleteCreated() {
    for (SoftHsmToken token : created) {
      try (Stream<Path> files = Files.walk(token.directory())) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      } catch (IOException e) {
        // Left under target/: mvn clean removes it.
      }
    }
    created.clear();
  }

  private static char[] digits(int count) {
    char[] pin = new char[count];
    for (int i = 0; i < count; i++) {
      pin[i] = (char) ('0' + RANDOM.nextInt(10));
    }
    return pin;
  }

  private static String hex(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    StringBuilder text = new StringBuilder();
    for (byte b : random) {
      text.append(String.format("%02x", b));
    }
    return text.toString();
  }
}
