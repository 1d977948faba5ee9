package net.appstore.catalog.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.appstore.service.ServiceUnavailableException;
import org.junit.jupiter.api.Test;

/** The gate in front of a database: excess work is turned away with the documented reason (F2). */
class DatabaseGateTest {

  @Test
  void bulkheadFull_turnedAwayWithTheGatesReasonAndRetryAfter() throws Exception {
    MetricRegistry metrics = new MetricRegistry();
    DatabaseGate gate =
        new DatabaseGate(
            "replica-db",
            "DATABASE_UNAVAILABLE",
            1,
            Duration.ofMillis(1),
            Duration.ofSeconds(5),
            metrics);
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      Future<String> first =
          other.submit(
              () ->
                  gate.call(
                      () -> {
                        holding.countDown();
                        release.await();
                        return "done";
                      }));
      holding.await();

      assertThatThrownBy(() -> gate.call(() -> "second"))
          .isInstanceOfSatisfying(
              ServiceUnavailableException.class,
              e -> {
                assertThat(e.reason()).isEqualTo("DATABASE_UNAVAILABLE");
                assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(5));
              });
      assertThat(metrics.counter("bulkhead.replica-db.rejected").getCount()).isEqualTo(1);

      release.countDown();
      assertThat(first.get()).isEqualTo("done");
    } finally {
      release.countDown();
      other.shutdownNow();
    }
  }
}
