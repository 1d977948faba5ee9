package net.appstore.catalog.cli;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import net.appstore.catalog.CatalogConfiguration;
import net.appstore.catalog.core.blocklist.BlocklistPublisher;
import net.appstore.catalog.core.blocklist.PublicationOverride;
import net.appstore.catalog.core.blocklist.PublicationResult;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code blocklist-publish [--allow-empty] [--allow-drop] [--allow-version-not-greater] [--actor
 * NAME] CONFIG}: publishes the next blocklist version now (for cron or an operator). Refusals and
 * failures exit non-zero with the reason; the last good version stays published.
 */
public final class BlocklistPublishCommand extends ConfiguredCommand<CatalogConfiguration> {

  public BlocklistPublishCommand() {
    super("blocklist-publish", "Sign and publish the next blocklist version");
  }

  @Override
  public void configure(Subparser subparser) {
    super.configure(subparser);
    for (PublicationOverride o : PublicationOverride.values()) {
      subparser
          .addArgument("--" + o.flag())
          .dest(o.name())
          .action(Arguments.storeTrue())
          .help("publish even if refused for " + o.overrides() + " (logged and recorded)");
    }
    subparser
        .addArgument("--actor")
        .setDefault(System.getProperty("user.name", "operator"))
        .help("who publishes, for the log and the record");
  }

  @Override
  protected void run(
      Bootstrap<CatalogConfiguration> bootstrap,
      Namespace namespace,
      CatalogConfiguration configuration)
      throws Exception {
    Set<PublicationOverride> overrides = EnumSet.noneOf(PublicationOverride.class);
    for (PublicationOverride o : PublicationOverride.values()) {
      if (Boolean.TRUE.equals(namespace.getBoolean(o.name()))) {
        overrides.add(o);
      }
    }
    try (DatabaseAccess db =
        new DatabaseAccess(
            configuration.getPrimaryDatabase(), bootstrap.getMetricRegistry(), "blocklist")) {
      BlocklistPublisher publisher =
          configuration
              .getBlocklist()
              .buildPublisher(
                  db.jdbi(),
                  configuration.getTlsClient(),
                  bootstrap.getObjectMapper(),
                  Clock.systemUTC(),
                  bootstrap.getMetricRegistry());
      PublicationResult result =
          publisher.publish(overrides, "cli:" + namespace.getString("actor"));
      System.out.println(
          result.published()
              ? "published blocklist version "
                  + result.version()
                  + " ("
                  + result.entryCount()
                  + " entries, kid "
                  + result.kid()
                  + ")"
              : "not published: " + result.note());
    }
  }

  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    cli.getStdErr().println("blocklist not published: " + e.getMessage());
  }
}
