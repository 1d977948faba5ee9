package net.appstore.ops.drills;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One failure drill: a row of FAILURE-MODES.md injected into the running stack. Tagged {@code
 * drill} so that a plain {@code mvn verify} leaves drills out ({@code ./ops/drill} and {@code
 * ./ops/test} run them); the row and fault name the line of the drill table.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Test
@Tag("drill")
@ExtendWith(DrillExtension.class)
public @interface Drill {

  /** The row of FAILURE-MODES.md, e.g. {@code F7}. */
  String row();

  /** The fault injected: a switch of {@code ./ops/stack fault}, or what the drill does instead. */
  String fault();

  /** What the user must see, in a few words (the "expected" column of the table). */
  String expected();
}
