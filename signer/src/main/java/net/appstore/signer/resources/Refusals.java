package net.appstore.signer.resources;

import java.util.function.Supplier;
import net.appstore.service.ServiceUnavailableException;
import net.appstore.signer.core.SignatureMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Counts and logs every 503 a resource answers (the mapper itself lives in service-common), with
 * its stable reason: {@code signer.rejections.<reason>}.
 */
final class Refusals {

  private static final Logger LOG = LoggerFactory.getLogger(Refusals.class);

  private Refusals() {}

  static <T> T counted(SignatureMetrics metrics, String what, Supplier<T> work) {
    try {
      return work.get();
    } catch (ServiceUnavailableException e) {
      metrics.rejection(e.reason());
      MDC.put("outcome", "refused");
      try {
        LOG.warn("{} refused: {}: {}", what, e.reason(), e.getMessage());
      } finally {
        MDC.remove("outcome");
      }
      throw e;
    }
  }
}
