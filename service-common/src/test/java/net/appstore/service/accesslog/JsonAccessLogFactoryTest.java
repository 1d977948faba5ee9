package net.appstore.service.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.dropwizard.request.logging.RequestLogFactory;
import org.junit.jupiter.api.Test;

/** {@code server.requestLog} of {@code type: json-access}, as Dropwizard reads it from YAML. */
class JsonAccessLogFactoryTest {

  private static final ObjectMapper YAML = Jackson.newObjectMapper(new YAMLFactory());

  private static RequestLogFactory<?> read(String yaml) throws Exception {
    return YAML.readValue(yaml, RequestLogFactory.class);
  }

  @Test
  void read_typeJsonAccess_isThisFactoryWithTheGivenHeadersAndQueue() throws Exception {
    RequestLogFactory<?> factory =
        read("type: json-access\nresponseHeaders: [X-Request-Id]\nqueueSize: 16\n");

    assertThat(factory)
        .isInstanceOfSatisfying(
            JsonAccessLogFactory.class,
            json -> {
              assertThat(json.getResponseHeaders()).containsExactly("X-Request-Id");
              assertThat(json.getQueueSize()).isEqualTo(16);
            });
    assertThat(factory.isEnabled()).isTrue();
    assertThat(factory.build("verifier")).isInstanceOf(JsonAccessLog.class);
  }

  @Test
  void read_onlyTheType_noHeadersAndAQueueOf8192() throws Exception {
    JsonAccessLogFactory factory = (JsonAccessLogFactory) read("type: json-access\n");

    assertThat(factory.getResponseHeaders()).isEmpty();
    assertThat(factory.getQueueSize()).isEqualTo(8192);
    assertThat(Validators.newValidator().validate(factory)).isEmpty();
  }

  @Test
  void validate_emptyQueue_refused() throws Exception {
    JsonAccessLogFactory factory = (JsonAccessLogFactory) read("type: json-access\nqueueSize: 0\n");

    assertThat(Validators.newValidator().validate(factory))
        .extracting(violation -> violation.getPropertyPath().toString())
        .containsExactly("queueSize");
  }

  @Test
  void countDropsIn_registersTheDroppedLinesCounter() throws Exception {
    JsonAccessLogFactory factory = (JsonAccessLogFactory) read("type: json-access\n");
    MetricRegistry metrics = new MetricRegistry();

    factory.countDropsIn(metrics);

    assertThat(metrics.getCounters()).containsKey(JsonAccessLogFactory.DROPPED_METRIC);
    assertThat(metrics.counter(JsonAccessLogFactory.DROPPED_METRIC).getCount()).isZero();
  }
}
