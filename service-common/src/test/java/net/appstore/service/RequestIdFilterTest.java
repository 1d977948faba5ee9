package net.appstore.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The ids the filter makes when the caller offers none (the header handling:
 * OpsEndpointsBundleTest).
 */
class RequestIdFilterTest {

  @Test
  void newId_isARandomVersion4UuidInCanonicalForm() {
    for (int i = 0; i < 1000; i++) {
      String id = RequestIdFilter.newId();
      UUID uuid = UUID.fromString(id);

      assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
      assertThat(uuid.version()).isEqualTo(4);
      assertThat(uuid.variant()).isEqualTo(2); // RFC 4122 / 9562, as UUID.randomUUID()
      assertThat(uuid.toString()).isEqualTo(id);
    }
  }

  @Test
  void newId_fromManyThreads_neverRepeats() {
    Set<String> ids = ConcurrentHashMap.newKeySet();

    IntStream.range(0, 200_000).parallel().forEach(i -> ids.add(RequestIdFilter.newId()));

    assertThat(ids).hasSize(200_000);
  }
}
