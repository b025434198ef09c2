package io.plinth.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.plinth.platform.config.ConfigSource;
import io.plinth.platform.config.PlinthConfig;
import io.plinth.testing.Eventually;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kubernetes discovery in api mode: two members find each other only through the EndpointSlices of
 * their Service, served by a stand-in for the Kubernetes API server that answers the requests
 * Hazelcast 5.3 makes the way the API server does (a Status body with reason NotFound for what it
 * does not serve, 401 without the bearer token).
 *
 * <p>Each member has its own loopback address, as each pod has its own IP, and both use the same
 * member port. TCP-IP and multicast are off, so nothing else could join them. What this does not
 * show: TLS to the API server and the service account's token and CA files (the test passes a token
 * and plain HTTP), and RBAC (docs/kubernetes-cluster.md lists the Role).
 */
class KubernetesApiDiscoveryIT {

  private static final String NAMESPACE = "plinth";
  private static final String SERVICE = "plinth-hazelcast";
  private static final String TOKEN = "service-account-token-" + UUID.randomUUID();
  private static final String SLICES =
      "/apis/discovery.k8s.io/v1/namespaces/" + NAMESPACE + "/endpointslices";

  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<HazelcastInstance> members = new ArrayList<>();
  private HttpServer apiServer;
  private final PodAddresses pods = PodAddresses.pick(2);
  private final String cluster = "k8s-api-" + UUID.randomUUID();

  @BeforeEach
  void startApiServer() throws IOException {
    apiServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    apiServer.createContext("/", this::answer);
    apiServer.start();
  }

  @AfterEach
  void stop() {
    members.forEach(HazelcastInstance::shutdown);
    apiServer.stop(0);
  }

  @Test
  void twoMembersFindEachOtherThroughTheServicesEndpointSlices() {
    HazelcastInstance a = start(pods.address(0));
    HazelcastInstance b = start(pods.address(1));

    for (HazelcastInstance member : List.of(a, b)) {
      assertThat(
              Eventually.poll(
                  Duration.ofSeconds(60),
                  () ->
                      member.getCluster().getMembers().stream()
                          .map(m -> m.getAddress().getHost() + ":" + m.getAddress().getPort())
                          .toList(),
                  m -> m.size() == 2))
          .containsExactlyInAnyOrderElementsOf(pods.members());
    }
    assertThat(requests)
        .as("requests to the API server")
        .contains("GET " + SLICES + "?labelSelector=kubernetes.io/service-name=" + SERVICE);
  }

  private HazelcastInstance start(String address) {
    PlinthConfig config =
        PlinthConfig.load(
            new ConfigSource(
                Map.of(
                    "plinth.cluster.name",
                    cluster,
                    "plinth.cluster.port",
                    String.valueOf(pods.port()),
                    "plinth.cluster.kubernetes.enabled",
                    "true",
                    "plinth.cluster.kubernetes.mode",
                    "api",
                    "plinth.cluster.kubernetes.service-name",
                    SERVICE,
                    "plinth.cluster.kubernetes.namespace",
                    NAMESPACE,
                    "plinth.cluster.kubernetes.api-url",
                    "http://127.0.0.1:" + apiServer.getAddress().getPort()),
                new Properties(),
                Map.of(),
                Map.of("plinth.http.port", "0")));
    Config member = ClusterMember.configure(config.cluster(), "discovery-test");
    PodAddresses.pin(member, address);
    // The build's test JVMs set this to 0 for TCP-IP clusters; a discovery joiner only asks
    // discovery for members within this wait, so at 0 it never asks. Hazelcast's default, as in
    // production.
    member.setProperty("hazelcast.wait.seconds.before.join", "5");
    // In a pod Hazelcast reads both from the service account's files, which are not here.
    member
        .getNetworkConfig()
        .getJoin()
        .getKubernetesConfig()
        .setProperty("api-token", TOKEN)
        .setProperty("ca-certificate", "not used over plain HTTP");
    HazelcastInstance started = Hazelcast.newHazelcastInstance(member);
    members.add(started);
    return started;
  }

  private void answer(HttpExchange exchange) throws IOException {
    String query = exchange.getRequestURI().getRawQuery();
    String path = exchange.getRequestURI().getRawPath();
    requests.add(exchange.getRequestMethod() + " " + path + (query == null ? "" : "?" + query));
    if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      respond(exchange, 401, status(401, "Unauthorized", "Unauthorized"));
    } else if (path.equals(SLICES)) {
      boolean ours =
          query == null || query.equals("labelSelector=kubernetes.io/service-name=" + SERVICE);
      respond(exchange, 200, endpointSliceList(ours));
    } else {
      respond(exchange, 404, status(404, "NotFound", path + " not found"));
    }
  }

  /**
   * The Service's one EndpointSlice (when the selector matches): the first member's pod is ready,
   * the second's is still starting (its HTTP readiness waits for the cluster), and must count too.
   */
  private String endpointSliceList(boolean withTheServicesSlice) {
    String slice =
        """
        {"metadata": {"name": "%1$s-x7k2p", "namespace": "%2$s",
           "labels": {"kubernetes.io/service-name": "%1$s"},
           "ownerReferences": [{"apiVersion": "v1", "kind": "Service", "name": "%1$s",
             "uid": "5f0c1f7e-0000-4000-8000-000000000001", "controller": true}]},
         "addressType": "IPv4",
         "endpoints": [
           {"addresses": ["%3$s"], "conditions": {"ready": true, "serving": true, "terminating": false},
            "targetRef": {"kind": "Pod", "namespace": "%2$s", "name": "plinth-data-plane-a"},
            "nodeName": "node-a"},
           {"addresses": ["%4$s"], "conditions": {"ready": false, "serving": false, "terminating": false},
            "targetRef": {"kind": "Pod", "namespace": "%2$s", "name": "plinth-control-plane-b"},
            "nodeName": "node-b"}],
         "ports": [{"name": "hazelcast", "protocol": "TCP", "port": %5$d}]}
        """
            .formatted(SERVICE, NAMESPACE, pods.address(0), pods.address(1), pods.port());
    return """
        {"kind": "EndpointSliceList", "apiVersion": "discovery.k8s.io/v1",
         "metadata": {"resourceVersion": "4711"}, "items": [%s]}
        """
        .formatted(withTheServicesSlice ? slice : "");
  }

  /**
   * A Status as the API server writes it: compact (Hazelcast matches {@code "reason":"NotFound"}).
   */
  private static String status(int code, String reason, String message) {
    return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
        + "\"message\":\"%s\",\"reason\":\"%s\",\"code\":%d}".formatted(message, reason, code);
  }

  private static void respond(HttpExchange exchange, int code, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }
}
