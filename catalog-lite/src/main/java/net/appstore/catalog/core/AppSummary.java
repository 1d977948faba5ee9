package net.appstore.catalog.core;

import java.math.BigDecimal;

/** An app as listings show it; price fields are null for a free app. */
public record AppSummary(
    long id,
    String slug,
    String name,
    String summary,
    BigDecimal priceAmount,
    String priceCurrency,
    int ratingCount,
    int ratingTotal) {}
