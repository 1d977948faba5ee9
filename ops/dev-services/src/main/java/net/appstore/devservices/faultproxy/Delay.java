package net.appstore.devservices.faultproxy;

import java.time.Duration;

/** How the proxy waits in {@code slow} mode; tests record the waits instead of taking them. */
@FunctionalInterface
public interface Delay {

  Delay SLEEP = duration -> Thread.sleep(duration.toMillis());

  void await(Duration duration) throws InterruptedException;
}
