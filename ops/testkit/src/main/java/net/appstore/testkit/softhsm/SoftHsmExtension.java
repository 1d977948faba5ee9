package net.appstore.testkit.softhsm;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test class a SoftHSM2 token of its own (unique label, random known PINs), injected as
 * a {@link SoftHsmToken} parameter into constructors, lifecycle and test methods. Tokens of
 * different classes are different PKCS#11 tokens, so one class cannot see another's keys. Nested
 * classes share their outer class's token.
 *
 * <p>The module's surefire configuration must set SOFTHSM2_CONF (SoftHSM2 reads it once per
 * process); the fixture writes that file and the token directory if missing:
 *
 * <pre>{@code
 * <environmentVariables>
 *   <SOFTHSM2_CONF>${project.build.directory}/softhsm/softhsm2.conf</SOFTHSM2_CONF>
 * </environmentVariables>
 * }</pre>
 *
 * <p>Tokens are created before the test class runs, because SoftHSM2 in a JVM does not see tokens
 * created after it was initialised there; see {@link SoftHsmTokenPool}. Thread-safe.
 */
public final class SoftHsmExtension implements BeforeAllCallback, ParameterResolver {

  private static final Namespace NAMESPACE = Namespace.create(SoftHsmExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    token(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == SoftHsmToken.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return token(context);
  }

  /** The class's token; the store also looks in enclosing classes' stores. */
  private static SoftHsmToken token(ExtensionContext context) {
    ExtensionContext classContext = context;
    while (classContext.getTestMethod().isPresent()) {
      classContext = classContext.getParent().orElseThrow();
    }
    return classContext
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            SoftHsmToken.class, key -> SoftHsmTokenPool.forThisJvm().take(), SoftHsmToken.class);
  }
}
