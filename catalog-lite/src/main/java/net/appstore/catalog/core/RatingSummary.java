package net.appstore.catalog.core;

/** The rating aggregate of one app: how many ratings, their sum, and how many of each star. */
public record RatingSummary(
    int count, int total, int stars1, int stars2, int stars3, int stars4, int stars5) {

  public static final RatingSummary NONE = new RatingSummary(0, 0, 0, 0, 0, 0, 0);
}
