package net.appstore.keytool.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import net.appstore.keys.KeyPurpose;
import net.appstore.keys.KeyState;
import net.appstore.keys.RegisteredKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The lifecycle rules alone, with fixed instants and their exact boundaries. */
class KeyLifecycleTest {

  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
  private static final Duration CACHE_AGE = Duration.ofHours(24);
  private static final Duration LIFETIME = Duration.ofDays(180);
  private static final Duration STALENESS = Duration.ofMinutes(10);
  private static final KeyLifecycle RULES =
      new KeyLifecycle(new LifecyclePolicy(CACHE_AGE, LIFETIME, STALENESS));

  /** A receipt key valid for a year from T0, in {@code state} with plausible timestamps. */
  private static RegisteredKey key(String kid, KeyState state) {
    Instant published = state.compareTo(KeyState.PUBLISHED) >= 0 ? T0 : null;
    Instant activated = state.compareTo(KeyState.ACTIVE) >= 0 ? T0.plus(CACHE_AGE) : null;
    Instant retiring =
        state.compareTo(KeyState.RETIRING) >= 0 ? T0.plus(Duration.ofDays(30)) : null;
    Instant retired = state.compareTo(KeyState.RETIRED) >= 0 ? T0.plus(Duration.ofDays(300)) : null;
    return new RegisteredKey(
        kid,
        KeyPurpose.RECEIPT,
        "RS256",
        state,
        kid,
        "{}",
        List.of(),
        T0,
        T0.plus(Duration.ofDays(365)),
        T0,
        Optional.ofNullable(published),
        Optional.ofNullable(activated),
        Optional.ofNullable(retiring),
        Optional.ofNullable(retired),
        Optional.empty());
  }

  private static RegisteredKey withNotAfter(RegisteredKey key, Instant notAfter) {
    return new RegisteredKey(
        key.kid(),
        key.purpose(),
        key.alg(),
        key.state(),
        key.hsmLabel(),
        key.publicJwk(),
        key.certificateChain(),
        key.notBefore(),
        notAfter,
        key.createdAt(),
        key.publishedAt(),
        key.activatedAt(),
        key.retiringAt(),
        key.retiredAt(),
        key.destroyedAt());
  }

  @Test
  void publish_generatedKey_movesToPublished() throws Exception {
    Transition step = RULES.publish(key("k", KeyState.GENERATED), T0);

    assertThat(step.to()).isEqualTo(KeyState.PUBLISHED);
    assertThat(step.forced()).isFalse();
  }

  @Test
  void publish_expiredKey_isRefused() {
    RegisteredKey expired = withNotAfter(key("k", KeyState.GENERATED), T0.plusSeconds(1));

    assertThatThrownBy(() -> RULES.publish(expired, T0.plusSeconds(1)))
        .isInstanceOf(LifecycleRefusedException.class)
        .hasMessageContaining("expired");
  }

  @Test
  void publish_publishedKey_isRefused() {
    assertThatThrownBy(() -> RULES.publish(key("k", KeyState.PUBLISHED), T0))
        .hasMessageContaining("only a GENERATED key can be published");
  }

  @Test
  void activate_exactlyAtTheKeyCacheAge_isAllowedAndRetiresTheCurrentKey() throws Exception {
    RegisteredKey current = key("old", KeyState.ACTIVE);

    List<Transition> steps =
        RULES.activate(
            key("new", KeyState.PUBLISHED), Optional.of(current), T0.plus(CACHE_AGE), false);

    assertThat(steps)
        .extracting(Transition::kid, Transition::to, Transition::forced)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("old", KeyState.RETIRING, false),
            org.assertj.core.groups.Tuple.tuple("new", KeyState.ACTIVE, false));
  }

  @Test
  void activate_oneMicrosecondBeforeTheKeyCacheAge_isRefusedNamingWhen() {
    Instant early = T0.plus(CACHE_AGE).minus(1, ChronoUnit.MICROS);

    assertThatThrownBy(
            () -> RULES.activate(key("new", KeyState.PUBLISHED), Optional.empty(), early, false))
        .isInstanceOf(LifecycleRefusedException.class)
        .hasMessageContaining("activation allowed from 2026-03-02T09:00:00Z")
        .hasMessageContaining("--force");
  }

  @Test
  void activate_earlyWithForce_isAllowedAndMarkedForcedWithANote() throws Exception {
    List<Transition> steps =
        RULES.activate(key("new", KeyState.PUBLISHED), Optional.empty(), T0.plusSeconds(60), true);

    assertThat(steps)
        .singleElement()
        .satisfies(
            step -> {
              assertThat(step.forced()).isTrue();
              assertThat(step.note())
                  .hasValueSatisfying(n -> assertThat(n).contains("published only 1m"));
            });
  }

  @Test
  void activate_expiredKeyEvenWithForce_isRefused() {
    RegisteredKey expired = withNotAfter(key("new", KeyState.PUBLISHED), T0.plus(CACHE_AGE));

    assertThatThrownBy(() -> RULES.activate(expired, Optional.empty(), T0.plus(CACHE_AGE), true))
        .hasMessageContaining("outside its validity window")
        .hasMessageContaining("no override");
  }

  @ParameterizedTest
  @EnumSource(
      value = KeyState.class,
      names = {"GENERATED", "ACTIVE", "RETIRING", "RETIRED", "DESTROYED"})
  void activate_keyNotPublished_isRefused(KeyState state) {
    assertThatThrownBy(
            () -> RULES.activate(key("k", state), Optional.empty(), T0.plus(CACHE_AGE), true))
        .isInstanceOf(LifecycleRefusedException.class)
        .hasMessageStartingWith("k is ");
  }

  @Test
  void retire_activeKey_isRefusedEvenWithForce() {
    assertThatThrownBy(() -> RULES.retire(key("k", KeyState.ACTIVE), T0.plus(LIFETIME), true))
        .hasMessageContaining("is the ACTIVE receipt key")
        .hasMessageContaining("rotate");
  }

  @Test
  void retire_publishedKeyThatNeverSigned_isAllowedAtOnce() throws Exception {
    assertThat(RULES.retire(key("k", KeyState.PUBLISHED), T0, false).to())
        .isEqualTo(KeyState.RETIRED);
  }

  @Test
  void retire_retiringKeyWhenItsLastReceiptsExpireExactlyNow_isAllowed() throws Exception {
    RegisteredKey retiring = key("k", KeyState.RETIRING);
    Instant end = retiring.retiringAt().orElseThrow().plus(STALENESS).plus(LIFETIME);

    assertThat(RULES.receiptsValidUntil(retiring)).contains(end);
    assertThat(RULES.retire(retiring, end, false).forced()).isFalse();
    assertThatThrownBy(() -> RULES.retire(retiring, end.minus(1, ChronoUnit.MICROS), false))
        .hasMessageContaining("may be valid until");
  }

  @Test
  void retire_retiringKeyEarlyWithForce_isForcedWithANote() throws Exception {
    Transition step = RULES.retire(key("k", KeyState.RETIRING), T0.plus(Duration.ofDays(31)), true);

    assertThat(step.forced()).isTrue();
    assertThat(step.note()).hasValueSatisfying(n -> assertThat(n).contains("stop verifying"));
  }

  @Test
  void receiptsValidUntil_keyExpiredWhileActive_countsFromItsExpiry() {
    RegisteredKey retiring = key("k", KeyState.RETIRING);
    Instant expiredBeforeRetiring = retiring.retiringAt().orElseThrow().minus(Duration.ofDays(1));

    assertThat(RULES.receiptsValidUntil(withNotAfter(retiring, expiredBeforeRetiring)))
        .contains(expiredBeforeRetiring.plus(LIFETIME));
  }

  @Test
  void receiptsValidUntil_neverActivatedKey_isEmpty() {
    assertThat(RULES.receiptsValidUntil(key("k", KeyState.PUBLISHED))).isEmpty();
  }

  @Test
  void destroy_retiredKeyWhoseReceiptsMayBeValid_isRefused() {
    RegisteredKey retired = key("k", KeyState.RETIRED);
    Instant end = RULES.receiptsValidUntil(retired).orElseThrow();

    assertThatThrownBy(() -> RULES.destroy(retired, end.minusSeconds(1)))
        .hasMessageContaining("may be valid until")
        .hasMessageContaining("no override");
  }

  @Test
  void destroy_retiredKeyAfterItsReceipts_isAllowed() throws Exception {
    RegisteredKey retired = key("k", KeyState.RETIRED);

    assertThat(RULES.destroy(retired, RULES.receiptsValidUntil(retired).orElseThrow()).to())
        .isEqualTo(KeyState.DESTROYED);
  }

  @Test
  void destroy_generatedKey_isAllowed() throws Exception {
    assertThat(RULES.destroy(key("k", KeyState.GENERATED), T0).to()).isEqualTo(KeyState.DESTROYED);
  }

  @ParameterizedTest
  @EnumSource(
      value = KeyState.class,
      names = {"PUBLISHED", "ACTIVE", "RETIRING", "DESTROYED"})
  void destroy_keyNeitherRetiredNorGenerated_isRefused(KeyState state) {
    assertThatThrownBy(() -> RULES.destroy(key("k", state), T0.plus(Duration.ofDays(3650))))
        .isInstanceOf(LifecycleRefusedException.class);
  }

  @Test
  void anyStep_onTheRoot_isRefused() {
    RegisteredKey root =
        new RegisteredKey(
            "root-1",
            KeyPurpose.ROOT,
            "ES256",
            KeyState.ACTIVE,
            "root-1",
            "{}",
            List.of(),
            T0,
            T0.plus(Duration.ofDays(3650)),
            T0,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    assertThatThrownBy(() -> RULES.retire(root, T0, true)).hasMessageContaining("is the root");
    assertThatThrownBy(() -> RULES.destroy(root, T0)).hasMessageContaining("is the root");
    assertThatThrownBy(() -> RULES.publish(root, T0)).hasMessageContaining("is the root");
  }
}
