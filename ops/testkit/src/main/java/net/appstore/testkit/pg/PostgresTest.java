package net.appstore.testkit.pg;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a fresh database on a real PostgreSQL primary and its streaming replica:
 * declare a {@link PostgresTestDatabase} parameter on a test, lifecycle method or constructor.
 *
 * <p>By default the class shares this JVM's one cluster with other classes and gets its own
 * database on it, so it must not stop or pause servers. With {@code dedicatedCluster = true} it
 * gets a cluster of its own, which its tests may stop, start and pause (restore it between tests
 * with {@link PostgresTestDatabase#restoreHealthy()}). See {@link PostgresExtension} for external
 * servers.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(PostgresExtension.class)
public @interface PostgresTest {
  /** Whether the class gets its own cluster, so that it may stop, start and pause servers. */
  boolean dedicatedCluster() default false;
}
