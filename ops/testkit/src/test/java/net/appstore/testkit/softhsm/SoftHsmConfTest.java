package net.appstore.testkit.softhsm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoftHsmConfTest {

  @TempDir Path dir;

  @Test
  void ensure_confMissing_writesConfWithTokenDirBesideIt() throws Exception {
    Path conf = dir.resolve("softhsm/softhsm2.conf");

    Path tokenDir = SoftHsmConf.ensure(conf);

    assertThat(tokenDir).isEqualTo(dir.resolve("softhsm/tokens")).isDirectory();
    assertThat(Files.readString(conf)).contains("directories.tokendir = " + tokenDir);
  }

  @Test
  void ensure_confPresent_keepsItAndUsesItsTokenDir() throws Exception {
    Path conf = dir.resolve("softhsm2.conf");
    Path elsewhere = dir.resolve("elsewhere");
    Files.writeString(conf, SoftHsmConf.content(elsewhere));
    String before = Files.readString(conf);

    Path tokenDir = SoftHsmConf.ensure(conf);

    assertThat(tokenDir).isEqualTo(elsewhere).isDirectory();
    assertThat(Files.readString(conf)).isEqualTo(before);
  }
}
