package net.appstore.catalog.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * Rating summary: the mean of all ratings (one decimal, null without ratings), how many there are,
 * and on app pages how many of each star count ({@code "1"} .. {@code "5"}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RatingView(Double average, int count, Map<String, Integer> histogram) {}
