package net.appstore.receipt.jose;

import static net.appstore.receipt.testing.RawJws.base64Url;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.Base64URL;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The JDK decoder gives exactly Nimbus's bytes for every signature segment JosePolicy admits. */
class CanonicalBase64UrlTest {

  private static final String HEADER = "{\"alg\":\"RS256\",\"kid\":\"k1\",\"typ\":\"receipt+jwt\"}";
  private static final String PAYLOAD = "{\"iat\":1764154800}";

  @Test
  void signature_everyLengthAndManyValues_sameBytesAsNimbus() throws Exception {
    Random random = new Random(20261126);
    for (int length = 1; length <= 600; length++) {
      for (int round = 0; round < 4; round++) {
        byte[] signature = new byte[length];
        random.nextBytes(signature);
        String segment = base64Url(signature);
        String token = base64Url(HEADER) + "." + base64Url(PAYLOAD) + "." + segment;

        Base64URL checked = JosePolicy.decode(token, DocumentType.RECEIPT).signature();

        assertThat(checked).isInstanceOf(CanonicalBase64Url.class);
        assertThat(checked.decode())
            .as("length %d", length)
            .isEqualTo(new Base64URL(segment).decode())
            .isEqualTo(signature);
        assertThat(checked.toString()).isEqualTo(segment);
      }
    }
  }

  @Test
  void signature_equalsNimbusValueOfTheSameSegment() throws Exception {
    String segment = base64Url(new byte[] {1, 2, 3, (byte) 0xff});
    String token = base64Url(HEADER) + "." + base64Url(PAYLOAD) + "." + segment;

    assertThat(JosePolicy.decode(token, DocumentType.RECEIPT).signature())
        .isEqualTo(new Base64URL(segment));
  }
}
