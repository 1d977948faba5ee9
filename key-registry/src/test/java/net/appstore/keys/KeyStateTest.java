package net.appstore.keys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyStateTest {

  @Test
  void canMoveTo_lifecycleInOrder_allowsEachForwardStep() {
    assertThat(KeyState.GENERATED.canMoveTo(KeyState.PUBLISHED)).isTrue();
    assertThat(KeyState.PUBLISHED.canMoveTo(KeyState.ACTIVE)).isTrue();
    assertThat(KeyState.ACTIVE.canMoveTo(KeyState.RETIRING)).isTrue();
    assertThat(KeyState.RETIRING.canMoveTo(KeyState.RETIRED)).isTrue();
    assertThat(KeyState.RETIRED.canMoveTo(KeyState.DESTROYED)).isTrue();
  }

  @Test
  void canMoveTo_skippingPublication_isRefused() {
    assertThat(KeyState.GENERATED.canMoveTo(KeyState.ACTIVE)).isFalse();
  }

  @Test
  void canMoveTo_destroyingAnActiveOrRetiringKey_isRefused() {
    assertThat(KeyState.ACTIVE.canMoveTo(KeyState.DESTROYED)).isFalse();
    assertThat(KeyState.RETIRING.canMoveTo(KeyState.DESTROYED)).isFalse();
  }

  @Test
  void canMoveTo_backwards_isRefused() {
    assertThat(KeyState.RETIRING.canMoveTo(KeyState.ACTIVE)).isFalse();
    assertThat(KeyState.DESTROYED.nextStates()).isEmpty();
  }

  @Test
  void isPublished_onlyPublishedActiveAndRetiring() {
    assertThat(KeyState.values())
        .filteredOn(KeyState::isPublished)
        .containsExactly(KeyState.PUBLISHED, KeyState.ACTIVE, KeyState.RETIRING);
  }
}
