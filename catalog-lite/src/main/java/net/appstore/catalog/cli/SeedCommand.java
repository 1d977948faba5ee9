package net.appstore.catalog.cli;

import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import net.appstore.catalog.CatalogConfiguration;
import net.appstore.catalog.core.CatalogDataGenerator;
import net.appstore.catalog.core.SeedData;
import net.appstore.catalog.db.SeedWriter;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code seed [--apps N] [--reviews N] [--seed S] [--replace | --if-empty] CONFIG}: fills the
 * catalog with generated, deterministic data (default 10,000 apps and 100,000 reviews).
 */
public final class SeedCommand extends ConfiguredCommand<CatalogConfiguration> {

  public SeedCommand() {
    super("seed", "Fill the catalog with generated data (deterministic for a given --seed)");
  }

  @Override
  public void configure(Subparser subparser) {
    super.configure(subparser);
    subparser
        .addArgument("--apps")
        .type(Integer.class)
        .setDefault(CatalogDataGenerator.DEFAULT_APPS)
        .help("number of apps (default 10000)");
    subparser
        .addArgument("--reviews")
        .type(Integer.class)
        .help("number of reviews (default: 10 per app)");
    subparser
        .addArgument("--seed")
        .type(Long.class)
        .setDefault(CatalogDataGenerator.DEFAULT_SEED)
        .help("random seed: the same seed gives the same catalog (default 1)");
    subparser
        .addArgument("--replace")
        .action(Arguments.storeTrue())
        .help("delete the existing catalog first");
    subparser
        .addArgument("--if-empty")
        .dest("if_empty")
        .action(Arguments.storeTrue())
        .help("do nothing if the catalog already holds apps");
  }

  @Override
  protected void run(
      Bootstrap<CatalogConfiguration> bootstrap,
      Namespace namespace,
      CatalogConfiguration configuration)
      throws Exception {
    int apps = namespace.getInt("apps");
    Integer reviewsArg = namespace.getInt("reviews");
    int reviews = reviewsArg != null ? reviewsArg : apps * 10;
    long seed = namespace.getLong("seed");
    boolean replace = namespace.getBoolean("replace");
    try (DatabaseAccess db =
        new DatabaseAccess(
            configuration.getPrimaryDatabase(), bootstrap.getMetricRegistry(), "seed")) {
      SeedWriter writer = new SeedWriter(db.jdbi());
      if (namespace.getBoolean("if_empty") && !writer.isEmpty()) {
        System.out.println("catalog already holds apps; not seeding (--if-empty)");
        return;
      }
      long start = System.nanoTime();
      SeedData data = new CatalogDataGenerator(seed, apps, reviews).generate();
      writer.write(data, replace);
      System.out.printf(
          "seeded %d apps, %d versions, %d reviews, %d developers, %d blocklist entries (seed %d) in %.1f s%n",
          data.apps().size(),
          data.versions().size(),
          data.reviews().size(),
          data.developers().size(),
          data.blocklistEntries().size(),
          seed,
          (System.nanoTime() - start) / 1e9);
    }
  }
}
