package net.appstore.signer.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.jdbi3.NamePrependingTemplateEngine;
import java.util.ArrayList;
import java.util.List;
import net.appstore.signer.testing.RunningSigner;
import net.appstore.testkit.pg.PostgresTest;
import net.appstore.testkit.pg.PostgresTestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.DefinedAttributeTemplateEngine;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.TemplateEngine;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against real PostgreSQL: the SQL sent is Dropwizard's, byte for byte, from a cached parse. */
@PostgresTest
class ParsedOnceTemplateEngineTest {

  /** A SQL object with a define, so that the per-statement part of rendering is exercised. */
  interface Echo {
    @SqlQuery("select <number> + 0 as number where 1 < 2")
    int echo(@Define("number") String number);
  }

  private Jdbi jdbi;

  @BeforeEach
  void connect(PostgresTestDatabase db) {
    jdbi = RunningSigner.migrated(db);
  }

  @Test
  void render_sqlObjectStatements_sameSqlAsDropwizardWithDefinesAppliedPerStatement() {
    List<String> dropwizard =
        renderedSql(new NamePrependingTemplateEngine(new DefinedAttributeTemplateEngine()));
    List<String> parsedOnce =
        renderedSql(new ParsedOnceTemplateEngine(new DefinedAttributeTemplateEngine()));

    assertThat(parsedOnce)
        .containsExactly(
            "/* Echo.echo */ select 41 + 0 as number where 1 < 2",
            "/* Echo.echo */ select 42 + 0 as number where 1 < 2")
        .isEqualTo(dropwizard);
  }

  @Test
  void render_statementOutsideSqlObject_noNameComment() {
    jdbi.setTemplateEngine(new ParsedOnceTemplateEngine(new DefinedAttributeTemplateEngine()));

    List<String> sql = recordRenderedSql();

    int number =
        jdbi.withHandle(
            handle ->
                handle.createQuery("select <number>").define("number", 7).mapTo(int.class).one());

    assertThat(number).isEqualTo(7);
    assertThat(sql).containsExactly("select 7");
  }

  @Test
  void parse_definedAttributeTemplate_parsedFormForJdbisCacheWhereDropwizardsHasNone() {
    String template = "select <number> as number";

    assertThat(
            new ParsedOnceTemplateEngine(new DefinedAttributeTemplateEngine())
                .parse(template, jdbi.getConfig()))
        .isPresent();
    assertThat(
            new NamePrependingTemplateEngine(new DefinedAttributeTemplateEngine())
                .parse(template, jdbi.getConfig()))
        .isEmpty();
  }

  private List<String> renderedSql(TemplateEngine engine) {
    jdbi.setTemplateEngine(engine);
    List<String> sql = recordRenderedSql();
    List<Integer> numbers =
        List.of(
            jdbi.withExtension(Echo.class, echo -> echo.echo("41")),
            jdbi.withExtension(Echo.class, echo -> echo.echo("42")));
    assertThat(numbers).containsExactly(41, 42);
    return sql;
  }

  /** The SQL of every statement executed from now on, as sent to the database. */
  private List<String> recordRenderedSql() {
    List<String> sql = new ArrayList<>();
    jdbi.setSqlLogger(
        new SqlLogger() {
          @Override
          public void logAfterExecution(StatementContext context) {
            sql.add(context.getRenderedSql());
          }
        });
    return sql;
  }
}
