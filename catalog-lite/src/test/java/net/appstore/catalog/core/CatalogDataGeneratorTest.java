package net.appstore.catalog.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CatalogDataGeneratorTest {

  @Test
  void generate_sameSeed_sameCatalog() {
    SeedData a = new CatalogDataGenerator(7, 500, 5000).generate();
    SeedData b = new CatalogDataGenerator(7, 500, 5000).generate();

    assertThat(a).isEqualTo(b);
  }

  @Test
  void generate_otherSeed_otherCatalog() {
    SeedData a = new CatalogDataGenerator(7, 500, 5000).generate();
    SeedData b = new CatalogDataGenerator(8, 500, 5000).generate();

    assertThat(a.apps()).isNotEqualTo(b.apps());
  }

  @Test
  void generate_defaultSizes_tenThousandAppsHundredThousandReviewsSeveralVersionsEach() {
    SeedData data =
        new CatalogDataGenerator(
                CatalogDataGenerator.DEFAULT_SEED,
                CatalogDataGenerator.DEFAULT_APPS,
                CatalogDataGenerator.DEFAULT_REVIEWS)
            .generate();

    assertThat(data.apps()).hasSize(10_000);
    assertThat(data.reviews()).hasSize(100_000);
    assertThat(data.versions().size()).isBetween(25_000, 45_000);
    assertThat(data.categories()).hasSize(20);
    assertThat(data.apps().stream().map(SeedData.App::slug)).doesNotHaveDuplicates();
    assertThat(data.developers().stream().map(SeedData.Developer::slug)).doesNotHaveDuplicates();
    Set<String> reviewKeys = new HashSet<>();
    for (SeedData.Review r : data.reviews()) {
      assertThat(reviewKeys.add(r.appId() + "/" + r.authorSub())).isTrue();
      assertThat(r.rating()).isBetween(1, 5);
    }
    assertThat(data.apps().stream().filter(a -> a.priceAmount() != null).count())
        .isBetween(1_500L, 2_500L);
    assertThat(data.apps().stream().filter(a -> a.status().equals("public")).count())
        .isGreaterThan(9_500L);
  }

  @Test
  void generate_everyApp_hasAtLeastOneVersionWithHashAndHttpsPackage() {
    SeedData data = new CatalogDataGenerator(3, 200, 0).generate();

    Set<Long> withVersions = new HashSet<>();
    for (SeedData.Version v : data.versions()) {
      withVersions.add(v.appId());
      assertThat(v.packageSha256()).matches("[0-9a-f]{64}");
      assertThat(v.packageUrl()).startsWith("https://");
      assertThat(v.releasedAt()).isBefore(CatalogDataGenerator.AS_OF);
    }
    assertThat(withVersions).hasSize(200);
  }
}
