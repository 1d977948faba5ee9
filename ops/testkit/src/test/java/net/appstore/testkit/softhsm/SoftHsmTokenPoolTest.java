package net.appstore.testkit.softhsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool against real softhsm2-util, in a directory of its own. This JVM never loads the library,
 * so "loaded" is simulated through the supplier the pool consults.
 */
class SoftHsmTokenPoolTest {

  @TempDir Path dir;

  private final AtomicBoolean libraryLoaded = new AtomicBoolean();

  private SoftHsmTokenPool pool(int spares) {
    return new SoftHsmTokenPool(
        dir.resolve("softhsm2.conf"), SoftHsmTokenPool.DEFAULT_LIBRARY, spares, libraryLoaded::get);
  }

  @Test
  void take_libraryNotLoaded_initialisesTokenAndSparesVisibleToSoftHsm() throws Exception {
    SoftHsmTokenPool pool = pool(2);

    SoftHsmToken token = pool.take();

    String slots = new SoftHsmUtil(dir.resolve("softhsm2.conf")).showSlots();
    assertThat(slots).contains("Label:            " + token.label());
    assertThat(token.directory()).isDirectory().hasParent(dir.resolve("tokens"));
    assertThat(token.conf()).isEqualTo(dir.resolve("softhsm2.conf"));
    assertThat(subdirectories(dir.resolve("tokens"))).isEqualTo(3);
  }

  @Test
  void take_twice_givesDistinctTokens() {
    SoftHsmTokenPool pool = pool(1);

    SoftHsmToken first = pool.take();
    SoftHsmToken second = pool.take();

    assertThat(second.label()).isNotEqualTo(first.label());
    assertThat(second.directory()).isNotEqualTo(first.directory());
  }

  @Test
  void take_libraryLoaded_handsOutSparesThenFailsWithAdvice() {
    SoftHsmTokenPool pool = pool(1);
    pool.take();
    libraryLoaded.set(true);

    SoftHsmToken spare = pool.take();

    assertThat(spare.directory()).isDirectory();
    assertThatThrownBy(pool::take)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(SoftHsmTokenPool.SPARES_PROPERTY)
        .hasMessageContaining("reuseForks=false");
  }

  @Test
  void deleteCreated_afterTakes_removesEveryTokenDirectory() throws Exception {
    SoftHsmTokenPool pool = pool(1);
    SoftHsmToken token = pool.take();

    pool.deleteCreated();

    assertThat(token.directory()).doesNotExist();
    assertThat(subdirectories(dir.resolve("tokens"))).isZero();
  }

  @Test
  void toString_token_leavesPinsOut() {
    SoftHsmToken token = pool(0).take();

    assertThat(token.toString())
        .contains(token.label())
        .doesNotContain(new String(token.userPin()))
        .doesNotContain(new String(token.soPin()));
  }

  private static long subdirectories(Path tokens) throws Exception {
    try (Stream<Path> entries = Files.list(tokens)) {
      return entries.filter(Files::isDirectory).count();
    }
  }
}
