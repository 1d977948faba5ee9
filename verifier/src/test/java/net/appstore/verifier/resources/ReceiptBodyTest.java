package net.appstore.verifier.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import net.appstore.receipt.ReceiptRejectedException;
import org.junit.jupiter.api.Test;

/** The size limit comes before any reading or parsing; JSON bodies are read strictly. */
class ReceiptBodyTest {

  private static final int LIMIT = 20 * 1024;
  private final ReceiptBody bodies = new ReceiptBody(LIMIT);

  @Test
  void token_declaredLengthOverTheLimit_refusedWithoutReadingAByte() {
    InputStream untouchable =
        new InputStream() {
          @Override
          public int read() {
            throw new AssertionError("the body was read");
          }
        };
    assertThatThrownBy(() -> bodies.token("text/plain", 2L << 20, untouchable))
        .isInstanceOf(ReceiptBody.TooLargeException.class);
  }

  @Test
  void token_undeclaredBodyOverTheLimit_readNoFurtherThanTheLimit() {
    AtomicLong served = new AtomicLong();
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            served.incrementAndGet();
            return 'A';
          }
        };
    assertThatThrownBy(() -> bodies.token("text/plain", -1, endless))
        .isInstanceOf(ReceiptBody.TooLargeException.class);
    assertThat(served.get()).isLessThanOrEqualTo(LIMIT + 1);
  }

  @Test
  void token_bodyExactlyAtTheLimit_accepted() throws Exception {
    String body = "A".repeat(LIMIT);
    assertThat(bodies.token(null, LIMIT, stream(body))).isEqualTo(body);
  }

  @Test
  void token_textBody_returnedUntrimmed() throws Exception {
    assertThat(bodies.token("text/plain", -1, stream("a.b.c\n"))).isEqualTo("a.b.c\n");
  }

  @Test
  void token_jsonBody_receiptMember() throws Exception {
    assertThat(
            bodies.token("application/json; charset=utf-8", -1, stream("{\"receipt\":\"a.b.c\"}")))
        .isEqualTo("a.b.c");
  }

  @Test
  void token_jsonNestedBeyondTheLimit_errorDecoding() {
    String deep = "{\"x\":" + "[".repeat(100) + "]".repeat(100) + ",\"receipt\":\"a.b.c\"}";
    assertThatThrownBy(() -> bodies.token("application/json", -1, stream(deep)))
        .isInstanceOfSatisfying(
            ReceiptRejectedException.class,
            e -> assertThat(e.reason().name()).isEqualTo("ERROR_DECODING"));
  }

  private static InputStream stream(String body) {
    return new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
  }
}
