package net.appstore.catalog.core;

import java.math.BigDecimal;

/** A public app with what its page shows besides categories, versions and reviews. */
public record AppRecord(
    long id,
    String slug,
    String name,
    String summary,
    String description,
    String developerSlug,
    String developerName,
    String originUrl,
    BigDecimal priceAmount,
    String priceCurrency) {}
