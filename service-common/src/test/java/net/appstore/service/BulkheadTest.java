package net.appstore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class BulkheadTest {

  private final MetricRegistry metrics = new MetricRegistry();

  @Test
  void call_permitFree_runsWorkAndReturnsItsResult() throws Exception {
    Bulkhead bulkhead = new Bulkhead("db", 1, Duration.ZERO, Duration.ofSeconds(1), metrics);
    assertThat(bulkhead.<Integer>call(() -> 42)).isEqualTo(42);
  }

  @Test
  void call_allPermitsHeld_rejectsWith503AndCountsIt() throws Exception {
    Bulkhead bulkhead =
        new Bulkhead("hsm", 1, Duration.ofMillis(20), Duration.ofSeconds(2), metrics);
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Object> holder =
          pool.submit(
              () ->
                  bulkhead.call(
                      () -> {
                        holding.countDown();
                        release.await();
                        return null;
                      }));
      holding.await();
      assertThatThrownBy(() -> bulkhead.call(() -> "never"))
          .isInstanceOfSatisfying(
              ServiceUnavailableException.class,
              e -> {
                assertThat(e.reason()).isEqualTo("HSM_BUSY");
                assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(2));
              });
      assertThat(metrics.counter("bulkhead.hsm.rejected").getCount()).isEqualTo(1);
      release.countDown();
      holder.get();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void call_workThrows_releasesThePermit() throws Exception {
    Bulkhead bulkhead = new Bulkhead("db", 1, Duration.ZERO, Duration.ofSeconds(1), metrics);
    assertThatThrownBy(
            () ->
                bulkhead.call(
                    () -> {
                      throw new IllegalStateException("boom");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(bulkhead.<String>call(() -> "again")).isEqualTo("again");
  }
}
