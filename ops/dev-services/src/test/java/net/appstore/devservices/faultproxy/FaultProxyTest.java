package net.appstore.devservices.faultproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy between real sockets: a test client, the proxy and an echo server. */
class FaultProxyTest {

  private final List<Duration> delays = new CopyOnWriteArrayList<>();
  private EchoServer echo;
  private FaultProxy proxy;

  @BeforeEach
  void start() throws IOException {
    echo = new EchoServer();
    proxy =
        FaultProxy.start(
            0,
            echo.address(),
            ProxyMode.PASS,
            delays::add,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    echo.close();
  }

  @Test
  void pass_bytesReachTheTargetAndComeBackUnchanged() throws IOException {
    try (Socket client = connect()) {
      assertThat(roundTrip(client, "hello")).isEqualTo("hello");
      assertThat(roundTrip(client, "again")).isEqualTo("again");
    }
    assertThat(delays).isEmpty();
  }

  @Test
  void refuse_newConnectionsRefusedOpenOnesCut_passRestoresOnTheSamePort() throws Exception {
    int port = proxy.port();
    try (Socket open = connect()) {
      assertThat(roundTrip(open, "before")).isEqualTo("before");

      proxy.setMode(ProxyMode.REFUSE);

      assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class);
      assertThat(readAfterCut(open)).isTrue();
    }

    proxy.setMode(ProxyMode.PASS);

    assertThat(proxy.port()).isEqualTo(port);
    try (Socket client = connect()) {
      assertThat(roundTrip(client, "after")).isEqualTo("after");
    }
  }

  @Test
  void hang_acceptsButForwardsNothing_passDeliversWhatWasHeld() throws Exception {
    try (Socket open = connect()) {
      assertThat(roundTrip(open, "ok")).isEqualTo("ok");
      proxy.setMode(ProxyMode.HANG);

      try (Socket fresh = connect()) {
        fresh.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
        fresh.setSoTimeout(300);
        assertThatThrownBy(() -> fresh.getInputStream().read())
            .isInstanceOf(SocketTimeoutException.class);
      }
      open.getOutputStream().write("held".getBytes(StandardCharsets.US_ASCII));
      open.setSoTimeout(300);
      assertThatThrownBy(() -> open.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);

      proxy.setMode(ProxyMode.PASS);

      open.setSoTimeout(10_000);
      assertThat(read(open, 4)).isEqualTo("held");
    }
  }

  @Test
  void slow_delaysEveryChunkFromTheTargetOnly() throws IOException {
    proxy.setMode(ProxyMode.slow(Duration.ofMillis(250)));
    try (Socket client = connect()) {
      assertThat(roundTrip(client, "one")).isEqualTo("one");
      assertThat(roundTrip(client, "two")).isEqualTo("two");
    }
    // Two answers came back, each waited once; nothing the client sent was delayed.
    assertThat(delays).containsExactly(Duration.ofMillis(250), Duration.ofMillis(250));
  }

  @Test
  void modeFile_appliesChangesAndReportsThem_badTextKeepsTheMode() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("faultproxy");
    java.nio.file.Path file = dir.resolve("jwks.mode");
    java.nio.file.Path applied = dir.resolve("jwks.mode.applied");
    ModeFile modeFile =
        new ModeFile(
            file,
            proxy,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    java.nio.file.Files.writeString(file, "refuse\n");
    modeFile.poll();
    assertThat(proxy.mode()).isEqualTo(ProxyMode.REFUSE);
    assertThat(java.nio.file.Files.readString(applied)).isEqualTo("refuse\n");
    assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class);

    java.nio.file.Files.writeString(file, "sloww=5");
    modeFile.poll();
    assertThat(proxy.mode()).isEqualTo(ProxyMode.REFUSE);
    assertThat(java.nio.file.Files.readString(applied))
        .startsWith("error: unknown mode 'sloww=5'")
        .contains("still refuse");

    java.nio.file.Files.delete(file);
    modeFile.poll();
    assertThat(proxy.mode()).isEqualTo(ProxyMode.PASS);
    try (Socket client = connect()) {
      assertThat(roundTrip(client, "back")).isEqualTo("back");
    }
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static String roundTrip(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return read(socket, text.length());
  }

  private static String read(Socket socket, int length) throws IOException {
    InputStream in = socket.getInputStream();
    byte[] bytes = in.readNBytes(length);
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  /** Whether the connection reads as ended (EOF or reset): what a cut looks like to a client. */
  private static boolean readAfterCut(Socket socket) {
    try {
      return socket.getInputStream().read() == -1;
    } catch (IOException e) {
      return true;
    }
  }
}
