package io.plinth.bench.provisioning;

import io.plinth.bench.run.AdminApi;
import io.plinth.bench.run.PlatformHttp.Response;
import io.plinth.bench.run.Progress;
import io.plinth.bench.run.Sampling;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Random;

/**
 * The admin API's reads, one request at a time: the tenant list page by page ({@code GET
 * /admin/v1/tenants?limit=50}, following the cursor) and single tenants ({@code GET
 * /admin/v1/tenants/{slug}}). An answer other than 200 counts in the report's unexpected answers.
 */
final class ListAndGet {

  /** Requests per latency figure. */
  static final int SAMPLES = 200;

  /** Requests before each baseline figure, so that the JIT is not timed. */
  static final int WARM_UP = 1000;

  private static final int PAGE = 50;

  private final AdminApi admin;
  private final ProvisioningReport report;
  private String after; // the list walk's cursor, null at the start

  ListAndGet(AdminApi admin, ProvisioningReport report) {
    this.admin = admin;
    this.report = report;
  }

  /** {@code count} list requests from the first page, starting over after the last. */
  long[] list(int count) {
    after = null;
    return Sampling.nanos(count, () -> listPage().nanos());
  }

  /** {@code count} gets of tenants picked from {@code slugs} (the same picks every time). */
  long[] get(int count, List<String> slugs) {
    Random random = new Random(42);
    return Sampling.nanos(
        count,
        () -> {
          String slug = slugs.get(random.nextInt(slugs.size()));
          Response response =
              admin.http().send(admin.request(AdminApi.TENANTS + "/" + slug).GET().build());
          expect(response, 200);
          return response.nanos();
        });
  }

  /** Walks every page once from the start; returns how many tenants it saw. */
  int walkAll() {
    after = null;
    int seen = 0;
    do {
      Response response = listPage();
      if (response.status() != 200) {
        return -1;
      }
      JsonArray items = new JsonObject(response.body()).getJsonArray("items");
      seen += items.size();
    } while (after != null);
    return seen;
  }

  /** One GET of the tenant list, following the cursor and starting over after the last page. */
  private Response listPage() {
    Response response =
        admin
            .http()
            .send(
                admin
                    .request(
                        AdminApi.TENANTS
                            + "?limit="
                            + PAGE
                            + (after == null ? "" : "&after=" + after))
                    .GET()
                    .build());
    expect(response, 200);
    after = response.status() == 200 ? new JsonObject(response.body()).getString("next") : null;
    return response;
  }

  private void expect(Response response, int status) {
    if (response.status() != status && report.requestErrors.incrementAndGet() <= 5) {
      Progress.say("unexpected " + response.status() + ": " + response.body());
    }
  }
}
