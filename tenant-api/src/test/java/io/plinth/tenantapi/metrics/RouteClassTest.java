package io.plinth.tenantapi.metrics;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PATCH;
import static io.vertx.core.http.HttpMethod.POST;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class RouteClassTest {

  private static final String RECORDS = "/v1/collections/notes/records";

  @Test
  void classifiesEveryRouteOfTheDataPlane() {
    assertThat(RouteClass.of(GET, "/v1/collections")).isEqualTo(RouteClass.COLLECTIONS);
    assertThat(RouteClass.of(POST, "/v1/collections/")).isEqualTo(RouteClass.COLLECTIONS);
    assertThat(RouteClass.of(PATCH, "/v1/collections/notes")).isEqualTo(RouteClass.COLLECTIONS);
    assertThat(RouteClass.of(GET, RECORDS)).isEqualTo(RouteClass.QUERY);
    assertThat(RouteClass.of(POST, RECORDS)).isEqualTo(RouteClass.RECORDS_WRITE);
    assertThat(RouteClass.of(GET, RECORDS + "/0190a1b2")).isEqualTo(RouteClass.RECORDS_READ);
    assertThat(RouteClass.of(PATCH, RECORDS + "/0190a1b2")).isEqualTo(RouteClass.RECORDS_WRITE);
    assertThat(RouteClass.of(DELETE, RECORDS + "/0190a1b2")).isEqualTo(RouteClass.RECORDS_WRITE);
    assertThat(RouteClass.of(GET, "/v1/collections/notes/changes")).isEqualTo(RouteClass.CHANGES);
    assertThat(RouteClass.of(GET, "/v1/identity")).isEqualTo(RouteClass.IDENTITY);
  }

  @Test
  void anythingElseIsOtherNeverAPath() {
    assertThat(RouteClass.of(GET, "/v1/nothing")).isEqualTo(RouteClass.OTHER);
    assertThat(RouteClass.of(GET, "/v1/collectionsx")).isEqualTo(RouteClass.OTHER);
    assertThat(RouteClass.of(GET, "/v1/collections/notes/recordsx")).isEqualTo(RouteClass.OTHER);
    assertThat(RouteClass.of(GET, RECORDS + "/id/more")).isEqualTo(RouteClass.OTHER);
    assertThat(RouteClass.of(GET, "/v1/collections/notes/changes/x")).isEqualTo(RouteClass.OTHER);
    assertThat(RouteClass.of(GET, null)).isEqualTo(RouteClass.OTHER);
  }

  @Test
  void clientsAreGroupedByNetwork() throws Exception {
    assertThat(TenantMetrics.network(address("203.0.113.77"))).isEqualTo("203.0.113.0/24");
    assertThat(TenantMetrics.network(address("2001:db8:aa:1::5"))).isEqualTo("2001:db8:aa::/48");
    assertThat(TenantMetrics.network(null)).isEqualTo("unknown");
  }

  /** An address as the server sees a client's: a literal, no name lookup. */
  private static SocketAddress address(String literal) throws Exception {
    return SocketAddress.inetSocketAddress(
        new InetSocketAddress(InetAddress.getByName(literal), 40000));
  }
}
