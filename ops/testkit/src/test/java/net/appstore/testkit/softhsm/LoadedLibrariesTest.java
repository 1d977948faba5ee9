package net.appstore.testkit.softhsm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LoadedLibrariesTest {

  @Test
  void isLoaded_libjvmOfThisJvm_true() {
    Path libjvm = Path.of(System.getProperty("java.home"), "lib", "server", "libjvm.so");

    assertThat(LoadedLibraries.isLoaded(libjvm)).isTrue();
  }

  @Test
  void isLoaded_softHsmNeverLoadedByTestkit_false() {
    assertThat(LoadedLibraries.isLoaded(SoftHsmTokenPool.DEFAULT_LIBRARY)).isFalse();
  }
}
