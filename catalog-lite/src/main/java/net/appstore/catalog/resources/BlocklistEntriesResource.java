package net.appstore.catalog.resources;

import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import net.appstore.catalog.api.BlocklistEntryView;
import net.appstore.catalog.api.NewBlocklistEntry;
import net.appstore.catalog.core.CatalogUser;
import net.appstore.catalog.core.DatabaseGate;
import net.appstore.catalog.db.BlocklistDao;
import org.jdbi.v3.core.Jdbi;

/**
 * Operators manage blocklist entries here (on the primary); the publication job turns them into the
 * next signed version.
 */
@Path("/api/v1/blocklist/entries")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(CatalogUser.OPERATOR)
public final class BlocklistEntriesResource {

  private final Jdbi primary;
  private final DatabaseGate gate;

  public BlocklistEntriesResource(Jdbi primary, DatabaseGate gate) {
    this.primary = primary;
    this.gate = gate;
  }

  @GET
  public Map<String, List<BlocklistEntryView>> list(@Auth CatalogUser operator) {
    return Map.of(
        "entries",
        gate
            .call(() -> primary.withExtension(BlocklistDao.class, BlocklistDao::activeEntries))
            .stream()
            .map(
                e ->
                    new BlocklistEntryView(
                        e.id(),
                        e.app(),
                        e.minVersion(),
                        e.maxVersion(),
                        e.severity(),
                        e.reason(),
                        e.createdAt()))
            .toList());
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response add(@Auth CatalogUser operator, @Valid @NotNull NewBlocklistEntry entry) {
    long id =
        gate.call(
                () ->
                    primary.withExtension(
                        BlocklistDao.class,
                        dao ->
                            dao.addEntry(
                                entry.app(),
                                entry.minVersion() == null ? "0" : entry.minVersion(),
                                entry.maxVersion() == null ? "*" : entry.maxVersion(),
                                entry.severity(),
                                entry.reason(),
                                operator.subject())))
            .orElseThrow(() -> new NotFoundException("no app " + entry.app()));
    return Response.status(Response.Status.CREATED).entity(Map.of("id", id)).build();
  }

  @DELETE
  @Path("{id}")
  public Response remove(@Auth CatalogUser operator, @PathParam("id") long id) {
    int removed =
        gate.call(
            () ->
                primary.withExtension(
                    BlocklistDao.class, dao -> dao.removeEntry(id, operator.subject())));
    if (removed == 0) {
      throw new NotFoundException("no active entry " + id);
    }
    return Response.noContent().build();
  }
}
