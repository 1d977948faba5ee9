package net.appstore.catalog.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Pagination. {@code maxPage} bounds how deep a listing or search can be paged, which also bounds
 * how many distinct pages the caches can be asked to hold.
 */
public class ListingFactory {

  @Min(1)
  @Max(100)
  private int pageSize = 20;

  @Min(1)
  private int maxPage = 500;

  public int getPageSize() {
    return pageSize;
  }

  public void setPageSize(int pageSize) {
    this.pageSize = pageSize;
  }

  public int getMaxPage() {
    return maxPage;
  }

  public void setMaxPage(int maxPage) {
    this.maxPage = maxPage;
  }
}
