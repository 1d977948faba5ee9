package net.appstore.signer.db;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.extension.ExtensionMethod;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.TemplateEngine;

/**
 * The SQL Dropwizard's {@code NamePrependingTemplateEngine} renders (a comment naming the SQL
 * object's type and method before the statement, so that {@code pg_stat_statements} and slow-query
 * logs name the caller), with the template parsed once instead of on every statement.
 *
 * <p>Dropwizard's engine implements only {@code render}, so Jdbi cannot cache a parsed template and
 * runs the {@code <define>} lexer (ANTLR) over every statement's SQL: measured in the signer at a
 * few per cent of a request thread's CPU (three statements per receipt). Here {@link #parse} hands
 * Jdbi the wrapped engine's parsed form, which Jdbi caches per template; defines and the name are
 * still applied per statement from its context.
 *
 * <p>Thread-safe if the wrapped engine is (Jdbi's are).
 */
public final class ParsedOnceTemplateEngine implements TemplateEngine {

  private final TemplateEngine original;

  public ParsedOnceTemplateEngine(TemplateEngine original) {
    this.original = Objects.requireNonNull(original, "original");
  }

  @Override
  public String render(String template, StatementContext ctx) {
    return withName(original.render(template, ctx), ctx);
  }

  @Override
  public Optional<Function<StatementContext, String>> parse(
      String template, ConfigRegistry config) {
    return original
        .parse(template, config)
        .map(rendering -> ctx -> withName(rendering.apply(ctx), ctx));
  }

  /** The name comment exactly as Dropwizard writes it, then the SQL. */
  private static String withName(String sql, StatementContext ctx) {
    ExtensionMethod method = ctx.getExtensionMethod();
    if (method == null) {
      return sql;
    }
    String type = method.getType().getSimpleName();
    StringBuilder named = new StringBuilder(sql.length() + 100).append("/* ");
    if (!type.isEmpty()) {
      named.append(type).append('.');
    }
    return named.append(method.getMethod().getName()).append(" */ ").append(sql).toString();
  }
}
