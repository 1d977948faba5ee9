package net.appstore.ops.drills;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Runs {@link Drill}s: selects the rows asked for ({@code -Ddrill.rows=F7,F8}), hands each drill
 * the shared {@link DrillStack} and its own {@link DrillReport}, writes the drill's line of the
 * table after it ran, and lifts any fault the drill left on.
 */
final class DrillExtension
    implements ExecutionCondition, ParameterResolver, AfterTestExecutionCallback, TestWatcher {

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(DrillExtension.class);

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<Drill> drill = drill(context);
    Set<String> rows = selectedRows();
    if (drill.isEmpty() || rows.isEmpty() || rows.contains(drill.get().row())) {
      return ConditionEvaluationResult.enabled("selected");
    }
    return ConditionEvaluationResult.disabled("row not selected (drill.rows=" + rows + ")");
  }

  private static Set<String> selectedRows() {
    String rows = System.getProperty("drill.rows", "").trim();
    return rows.isEmpty()
        ? Set.of()
        : Arrays.stream(rows.split("[,\\s]+")).map(String::toUpperCase).collect(Collectors.toSet());
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == DrillStack.class || type == DrillReport.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (parameter.getParameter().getType() == DrillStack.class) {
      return DrillStack.get(context);
    }
    return context
        .getStore(NS)
        .getOrComputeIfAbsent("report", key -> new DrillReport(), DrillReport.class);
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    Optional<Drill> drill = drill(context);
    if (drill.isEmpty()) {
      return;
    }
    DrillReport report =
        context
            .getStore(NS)
            .getOrComputeIfAbsent("report", key -> new DrillReport(), DrillReport.class);
    DrillResults.append(drill.get(), report, context.getExecutionException().orElse(null));
    DrillStack.get(context).liftFaults();
  }

  private static Optional<Drill> drill(ExtensionContext context) {
    return context.getTestMethod().map(m -> m.getAnnotation(Drill.class));
  }

  /** A quarantined drill ({@code @Disabled("quarantined: ...")}) stays in the table, with why. */
  @Override
  public void testDisabled(ExtensionContext context, Optional<String> reason) {
    Optional<Drill> drill = drill(context);
    String why = reason.orElse("");
    if (drill.isPresent() && why.startsWith("quarantined")) {
      DrillResults.appendQuarantined(drill.get(), why);
    }
  }
}
