package net.appstore.catalog.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A category with the number of public apps in it. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CategoryView(String slug, String name, long appCount) {}
