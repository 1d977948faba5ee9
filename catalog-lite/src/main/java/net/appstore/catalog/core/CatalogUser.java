package net.appstore.catalog.core;

import java.security.Principal;
import java.util.Set;

/**
 * A person identified by a verified access token.
 *
 * @param subject the identity provider's stable user id ({@code sub}); stored with reviews, never
 *     shown
 * @param displayName what others see ({@code preferred_username}, else {@code name}, else
 *     "anonymous")
 * @param roles from the {@code roles} claim: {@code user}, {@code operator}
 */
public record CatalogUser(String subject, String displayName, Set<String> roles)
    implements Principal {

  public static final String OPERATOR = "operator";

  public CatalogUser {
    roles = Set.copyOf(roles);
  }

  @Override
  public String getName() {
    return subject;
  }

  public boolean isOperator() {
    return roles.contains(OPERATOR);
  }
}
