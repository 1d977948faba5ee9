package net.appstore.verifier.resources;

import static net.appstore.receipt.RejectionReason.ERROR_DECODING;
import static net.appstore.receipt.RejectionReason.TOO_LARGE;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.appstore.receipt.ReceiptRejectedException;

/**
 * Takes the token out of a request body: the compact JWS as the whole body (any content type but
 * JSON), or JSON {@code {"receipt": "<token>"}}. The size limit comes first: a declared length over
 * it is refused without reading a byte, and no more than the limit is ever read. Nothing is trimmed
 * (a token with trailing whitespace is not a token). Stateless and thread-safe.
 */
final class ReceiptBody {

  /** The body is larger than the limit; distinct from a token over the JOSE limit. */
  static final class TooLargeException extends Exception {
    private static final long serialVersionUID = 1L;

    TooLargeException(String message) {
      super(message);
    }
  }

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build())
          .build();

  private final int maxBytes;

  ReceiptBody(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  int maxBytes() {
    return maxBytes;
  }

  /**
   * @param contentType the Content-Type header as sent, or null
   * @param declaredLength the Content-Length, or -1 if the body is chunked
   * @throws TooLargeException if the body exceeds the limit
   * @throws ReceiptRejectedException {@code ERROR_DECODING} if a JSON body is not {@code
   *     {"receipt": "..."}}
   */
  String token(String contentType, long declaredLength, InputStream body)
      throws TooLargeException, ReceiptRejectedException, IOException {
    if (declaredLength > maxBytes) {
      throw new TooLargeException("declared body length over " + maxBytes + " bytes");
    }
    byte[] bytes = readAtMost(body);
    return MediaTypes.isJson(contentType)
        ? fromJson(bytes)
        : new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private byte[] readAtMost(InputStream body) throws TooLargeException, IOException {
    byte[] buffer = new byte[Math.min(maxBytes + 1, 4096)];
    int length = 0;
    while (true) {
      if (length == buffer.length) {
        if (length > maxBytes) {
          throw new TooLargeException("body over " + maxBytes + " bytes");
        }
        buffer = Arrays.copyOf(buffer, Math.min(maxBytes + 1, buffer.length * 2));
      }
      int read = body.read(buffer, length, buffer.length - length);
      if (read < 0) {
        return Arrays.copyOf(buffer, length);
      }
      length += read;
    }
  }

  /** Exactly one JSON object with a string member {@code receipt}; other members are skipped. */
  private static String fromJson(byte[] bytes) throws ReceiptRejectedException {
    try (JsonParser parser = JSON.createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw notReceiptJson();
      }
      String receipt = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("receipt".equals(name)) {
          if (value != JsonToken.VALUE_STRING) {
            throw notReceiptJson();
          }
          receipt = parser.getText();
        } else {
          parser.skipChildren();
        }
      }
      if (receipt == null || parser.currentToken() != JsonToken.END_OBJECT) {
        throw notReceiptJson();
      }
      if (parser.nextToken() != null) {
        throw notReceiptJson();
      }
      return receipt;
    } catch (IOException e) {
      // Malformed JSON, a duplicate member, nesting beyond the limit.
      throw new ReceiptRejectedException(ERROR_DECODING, "body is not receipt JSON", e);
    }
  }

  private static ReceiptRejectedException notReceiptJson() {
    return new ReceiptRejectedException(
        ERROR_DECODING, "JSON body must be an object with a string member receipt");
  }

  /** For the 413 answer: the same reason code a token over the JOSE limit gets. */
  static ReceiptRejectedException tooLarge(TooLargeException e) {
    return new ReceiptRejectedException(TOO_LARGE, e.getMessage());
  }
}
