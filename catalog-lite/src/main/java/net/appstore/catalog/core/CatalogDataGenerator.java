package net.appstore.catalog.core;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generates a realistic catalog: developers, about twenty categories, apps with names, summaries
 * and descriptions that full-text search can find, prices, several versions each with package hash
 * and minimum platform version, reviews spread by popularity, and a few blocklist entries.
 *
 * <p>Deterministic: the same seed and sizes give the same data on every machine and day (times are
 * relative to the fixed {@link #AS_OF}). Not thread-safe; use one instance per generation.
 */
public final class CatalogDataGenerator {

  /** The instant the generated data describes; creation and release times lie before it. */
  public static final Instant AS_OF = Instant.parse("2025-11-01T00:00:00Z");

  public static final int DEFAULT_APPS = 10_000;
  public static final int DEFAULT_REVIEWS = 100_000;
  public static final long DEFAULT_SEED = 1L;

  private static final String[][] CATEGORIES = {
    {"games", "Games"},
    {"productivity", "Productivity"},
    {"social", "Social"},
    {"music", "Music"},
    {"photo-video", "Photo & Video"},
    {"education", "Education"},
    {"news", "News"},
    {"weather", "Weather"},
    {"travel", "Travel"},
    {"shopping", "Shopping"},
    {"health-fitness", "Health & Fitness"},
    {"finance", "Finance"},
    {"utilities", "Utilities"},
    {"books", "Books"},
    {"sports", "Sports"},
    {"food-drink", "Food & Drink"},
    {"lifestyle", "Lifestyle"},
    {"kids", "Kids"},
    {"developer-tools", "Developer Tools"},
    {"maps-navigation", "Maps & Navigation"}
  };

  /** Nouns per category, in the order of {@link #CATEGORIES}. */
  private static final String[][] NOUNS = {
    {
      "Chess",
      "Puzzle",
      "Racer",
      "Quest",
      "Dungeon",
      "Solitaire",
      "Tetra",
      "Arcade",
      "Sudoku",
      "Galaxy",
      "Kingdom",
      "Blocks"
    },
    {
      "Notes",
      "Tasks",
      "Planner",
      "Docs",
      "Calendar",
      "Focus",
      "Outline",
      "Sheets",
      "Mail",
      "Kanban"
    },
    {"Chat", "Circle", "Friends", "Messenger", "Feed", "Meetup", "Forum", "Talk"},
    {"Radio", "Tuner", "Beats", "Player", "Piano", "Guitar", "Podcasts", "Lyrics", "Drums"},
    {"Camera", "Filters", "Gallery", "Editor", "Collage", "Studio", "Reel", "Lens"},
    {"Flashcards", "Math", "Language", "Dictionary", "Quiz", "Atlas", "Physics", "Typing"},
    {"Headlines", "Reader", "Digest", "Daily", "Briefing", "Journal"},
    {"Forecast", "Radar", "Storm", "Sky", "Tides", "Pollen"},
    {"Trips", "Flights", "Hostels", "Phrasebook", "Itinerary", "Passport"},
    {"Deals", "Cart", "Coupons", "Market", "Wishlist", "Auctions"},
    {"Workout", "Yoga", "Steps", "Sleep", "Run", "Meditation", "Diet", "Cycling"},
    {"Budget", "Wallet", "Stocks", "Expenses", "Invoices", "Savings"},
    {"Flashlight", "Calculator", "Converter", "Scanner", "Files", "Clock", "Battery", "Backup"},
    {"Library", "Stories", "Comics", "Poetry", "Audiobooks", "Novels"},
    {"Scores", "Football", "Tennis", "Golf", "Cricket", "League"},
    {"Recipes", "Coffee", "Cocktails", "Pantry", "Bakery", "Grill"},
    {"Garden", "Home", "Style", "Pets", "Habits", "Journal"},
    {"Alphabet", "Colors", "Animals", "Numbers", "Drawing", "Lullaby"},
    {"Terminal", "Git", "Regex", "JSON", "HTTP", "Logs", "SQL"},
    {"Maps", "Compass", "Transit", "Parking", "Hiking", "Routes"}
  };

  private static final String[] ADJECTIVES = {
    "Super", "Smart", "Simple", "Pocket", "Pro", "Tiny", "Bright", "Quick", "Happy", "Zen",
    "Pixel", "Open", "Daily", "Swift", "Clever", "Magic", "Retro", "Neon", "Cosmic", "Little",
    "Mighty", "Easy", "Free", "Total", "Ultra", "Calm", "Bold", "Clear", "Fresh", "Lucky"
  };

  private static final String[] STUDIO_WORDS = {
    "Fox", "Otter", "Maple", "Harbor", "Cedar", "Comet", "Falcon", "Pine", "River", "Summit",
    "Willow", "Ember", "Orbit", "Atlas", "Beacon", "Coral", "Delta", "Echo", "Lumen", "Nova"
  };
  private static final String[] STUDIO_KINDS = {
    "Studios", "Labs", "Software", "Games", "Apps", "Works", "Digital", "Interactive"
  };

  private static final String[] PRAISE = {
    "Works great and never crashes.", "Exactly what I needed.", "Clean design, easy to use.",
    "The latest update fixed my problems.", "I use it every day.", "Worth every cent.",
    "Could use a dark mode, otherwise perfect.", "Fast and reliable."
  };
  private static final String[] COMPLAINTS = {
    "Crashes when I open it.", "Too many ads.", "The last update broke sync.",
    "Drains my battery.", "Does not do what the description says.", "Support never answered."
  };
  private static final String[] FEATURES = {
    "works offline", "syncs across devices", "has no ads", "supports dark mode",
    "respects your privacy", "is fully accessible", "exports to CSV", "has widgets",
    "supports many languages", "is open source"
  };

  private static final String[] BLOCK_REASONS = {
    "Collects personal data without consent.", "Ships a known remote code execution flaw.",
    "Contains a cryptocurrency miner.", "Impersonates another developer's app.",
    "Crashes the platform on start-up."
  };

  private final SplittableRandom random;
  private final int appCount;
  private final int reviewCount;

  public CatalogDataGenerator(long seed, int appCount, int reviewCount) {
    if (appCount < 1 || reviewCount < 0) {
      throw new IllegalArgumentException("need at least one app and a non-negative review count");
    }
    this.random = new SplittableRandom(seed);
    this.appCount = appCount;
    this.reviewCount = reviewCount;
  }

  public SeedData generate() {
    List<SeedData.Category> categories = categories();
    List<SeedData.Developer> developers = developers(Math.max(1, appCount / 5));
    List<SeedData.App> apps = new ArrayList<>(appCount);
    List<SeedData.AppCategory> appCategories = new ArrayList<>();
    List<SeedData.Version> versions = new ArrayList<>();
    Set<String> slugs = new HashSet<>();
    for (long id = 1; id <= appCount; id++) {
      int category = random.nextInt(CATEGORIES.length);
      SeedData.App app = app(id, category, developers, slugs);
      apps.add(app);
      appCategories.add(new SeedData.AppCategory(id, category + 1));
      if (random.nextInt(4) == 0) {
        int second = random.nextInt(CATEGORIES.length);
        if (second != category) {
          appCategories.add(new SeedData.AppCategory(id, second + 1));
        }
      }
      versions.addAll(versions(app, versions.size()));
    }
    return new SeedData(
        developers,
        categories,
        apps,
        appCategories,
        versions,
        reviews(apps),
        blocklistEntries(apps));
  }

  private static List<SeedData.Category> categories() {
    List<SeedData.Category> categories = new ArrayList<>();
    for (int i = 0; i < CATEGORIES.length; i++) {
      categories.add(new SeedData.Category(i + 1, CATEGORIES[i][0], CATEGORIES[i][1], i + 1));
    }
    return categories;
  }

  private List<SeedData.Developer> developers(int count) {
    List<SeedData.Developer> developers = new ArrayList<>(count);
    Set<String> slugs = new HashSet<>();
    for (long id = 1; id <= count; id++) {
      String name = pick(STUDIO_WORDS) + " " + pick(STUDIO_WORDS) + " " + pick(STUDIO_KINDS);
      String slug = unique(slugify(name), slugs);
      developers.add(new SeedData.Developer(id, slug, name, "contact@" + slug + ".example", slug));
    }
    return developers;
  }

  private SeedData.App app(
      long id, int category, List<SeedData.Developer> developers, Set<String> slugs) {
    String noun = pick(NOUNS[category]);
    String name = pick(ADJECTIVES) + " " + noun;
    if (random.nextInt(3) == 0) {
      name = name + " " + pick(new String[] {"Plus", "Lite", "HD", "Go", "2", "Classic"});
    }
    String slug = unique(slugify(name), slugs);
    String feature1 = pick(FEATURES);
    String feature2 = pick(FEATURES);
    String categoryName = CATEGORIES[category][1].toLowerCase(Locale.ROOT);
    String summary =
        name + " is a " + noun.toLowerCase(Locale.ROOT) + " app that " + feature1 + ".";
    String description =
        name
            + " brings "
            + noun.toLowerCase(Locale.ROOT)
            + " to your phone. It "
            + feature1
            + " and "
            + feature2
            + ". Loved by people who care about "
            + categoryName
            + ". Made with care by a small, independent team.";
    SeedData.Developer developer = developers.get(random.nextInt(developers.size()));
    BigDecimal price = null;
    String currency = null;
    if (random.nextInt(5) == 0) {
      price = new BigDecimal(pick(new String[] {"0.99", "1.99", "2.99", "4.99", "9.99"}));
      currency = random.nextInt(4) == 0 ? "EUR" : "USD";
    }
    int statusRoll = random.nextInt(100);
    String status = statusRoll < 97 ? "public" : statusRoll < 99 ? "pending" : "disabled";
    boolean featured = "public".equals(status) && random.nextInt(100) == 0;
    // Heavy-tailed popularity: most apps have few downloads, a few have very many.
    long downloads = (long) Math.floor(Math.exp(random.nextDouble() * 13.0));
    Instant created = AS_OF.minus(Duration.ofMinutes(random.nextLong(3L * 365 * 24 * 60)));
    return new SeedData.App(
        id,
        slug,
        name,
        summary,
        description,
        developer.id(),
        "https://" + slug + ".apps.example",
        price,
        currency,
        status,
        featured,
        downloads,
        created);
  }

  private List<SeedData.Version> versions(SeedData.App app, int idsSoFar) {
    int count = 1 + random.nextInt(6);
    List<SeedData.Version> versions = new ArrayList<>(count);
    int major = 1;
    int minor = 0;
    int platform = 1 + random.nextInt(2);
    Duration span = Duration.between(app.createdAt(), AS_OF);
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        if (random.nextInt(4) == 0) {
          major++;
          minor = 0;
        } else {
          minor++;
        }
        if (random.nextInt(3) == 0) {
          platform++;
        }
      }
      String version = major + "." + minor + (random.nextInt(5) == 0 ? ".1" : "");
      Instant released = app.createdAt().plus(span.multipliedBy(i).dividedBy(count).plusMinutes(i));
      versions.add(
          new SeedData.Version(
              idsSoFar + i + 1,
              app.id(),
              version,
              released,
              "https://packages.appstore.example/" + app.slug() + "/" + version + ".zip",
              sha256Hex(app.slug() + "@" + version),
              platform + ".0"));
    }
    return versions;
  }

  private List<SeedData.Review> reviews(List<SeedData.App> apps) {
    // Reviews follow popularity: weight each app by log(downloads + 2).
    double[] cumulative = new double[apps.size()];
    double total = 0;
    for (int i = 0; i < apps.size(); i++) {
      total += Math.log(apps.get(i).weeklyDownloads() + 2.0);
      cumulative[i] = total;
    }
    int users = Math.max(10, reviewCount / 2);
    List<SeedData.Review> reviews = new ArrayList<>(reviewCount);
    Set<Long> authored = new HashSet<>(reviewCount * 2);
    int attempts = 0;
    while (reviews.size() < reviewCount && attempts < reviewCount * 10) {
      attempts++;
      int index = search(cumulative, random.nextDouble() * total);
      SeedData.App app = apps.get(index);
      int user = 1 + random.nextInt(users);
      if (!authored.add(app.id() * 10_000_000L + user)) {
        continue; // one review per user and app
      }
      // Each app has a quality that shifts its ratings; derived from its id, so stable.
      int quality = (int) (app.id() % 5);
      int rating =
          Math.max(
              1,
              Math.min(5, 1 + quality + random.nextInt(3) - 1 + (random.nextInt(3) == 0 ? 1 : 0)));
      String body = rating >= 3 ? pick(PRAISE) : pick(COMPLAINTS);
      Duration sinceCreated = Duration.between(app.createdAt(), AS_OF);
      Instant at =
          app.createdAt().plusSeconds(random.nextLong(Math.max(1, sinceCreated.toSeconds())));
      reviews.add(
          new SeedData.Review(
              reviews.size() + 1L, app.id(), "user-" + user, "User " + user, rating, body, at));
    }
    return reviews;
  }

  private List<SeedData.BlocklistEntry> blocklistEntries(List<SeedData.App> apps) {
    int count = Math.min(apps.size(), Math.max(1, apps.size() / 500));
    List<SeedData.BlocklistEntry> entries = new ArrayList<>(count);
    Set<Long> blocked = new HashSet<>();
    for (int i = 0; entries.size() < count && i < count * 10; i++) {
      SeedData.App app = apps.get(random.nextInt(apps.size()));
      if (!blocked.add(app.id())) {
        continue;
      }
      boolean hard = random.nextInt(3) == 0;
      entries.add(
          new SeedData.BlocklistEntry(
              entries.size() + 1L,
              app.id(),
              "0",
              random.nextBoolean() ? "*" : "1." + random.nextInt(3),
              hard ? "hard" : "soft",
              pick(BLOCK_REASONS),
              AS_OF.minus(Duration.ofDays(random.nextInt(365)))));
    }
    return entries;
  }

  private static int search(double[] cumulative, double target) {
    int low = 0;
    int high = cumulative.length - 1;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (cumulative[mid] < target) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  private String pick(String[] options) {
    return options[random.nextInt(options.length)];
  }

  private static String unique(String base, Set<String> taken) {
    String candidate = base;
    for (int n = 2; !taken.add(candidate); n++) {
      candidate = base + "-" + n;
    }
    return candidate;
  }

  static String slugify(String name) {
    String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    slug = slug.replaceAll("^-+|-+$", "");
    return slug.length() > 50 ? slug.substring(0, 50) : slug;
  }

  private static String sha256Hex(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
