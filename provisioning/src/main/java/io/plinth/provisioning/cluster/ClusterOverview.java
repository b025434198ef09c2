package io.plinth.provisioning.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import io.plinth.platform.directory.NodeDirectory;
import io.plinth.platform.directory.NodeEntry;
import io.plinth.platform.directory.PoolFigures;
import io.plinth.provisioning.identity.KeycloakFleet;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * {@code GET /admin/v1/cluster}: every node of both services from the node directory, each one's
 * readiness asked live (in parallel), the Hazelcast members this node sees, the Keycloak instances
 * and the PostgreSQL pools as each node last published them (every {@link NodeDirectory#REFRESH}).
 */
public final class ClusterOverview {

  private final NodeDirectory directory;
  private final HazelcastInstance member;
  private final NodeProbe probe;
  private final KeycloakFleet keycloak;

  public ClusterOverview(
      NodeDirectory directory, HazelcastInstance member, NodeProbe probe, KeycloakFleet keycloak) {
    this.directory = directory;
    this.member = member;
    this.probe = probe;
    this.keycloak = keycloak;
  }

  public Future<JsonObject> overview() {
    Future<List<NodeEntry>> entries = directory.nodes();
    Future<List<NodeProbe.Readiness>> readiness =
        entries
            .compose(nodes -> Future.all(nodes.stream().map(n -> probe.probe(n.url())).toList()))
            .map(all -> all.<NodeProbe.Readiness>list());
    Future<JsonArray> instances = keycloak.status();
    return Future.all(readiness, instances)
        .map(
            ignored ->
                new JsonObject()
                    .put("nodes", nodes(entries.result(), readiness.result()))
                    .put("hazelcast", new JsonObject().put("members", members()))
                    .put("keycloak", instances.result())
                    .put("databases", databases(entries.result())));
  }

  private static JsonArray nodes(List<NodeEntry> entries, List<NodeProbe.Readiness> readiness) {
    JsonArray nodes = new JsonArray();
    for (int i = 0; i < entries.size(); i++) {
      NodeEntry entry = entries.get(i);
      NodeProbe.Readiness ready = readiness.get(i);
      JsonObject node =
          new JsonObject()
              .put("service", entry.service())
              .put("node", entry.node())
              .put("url", entry.url())
              .put("startedAt", entry.startedAt().toString())
              .put("ready", ready.ready())
              .put("checks", ready.checks());
      if (ready.error() != null) {
        node.put("error", ready.error());
      }
      nodes.add(node);
    }
    return nodes;
  }

  /** The members this node sees (local state, no call); a split shows as fewer than expected. */
  private JsonArray members() {
    JsonArray members = new JsonArray();
    for (Member m : member.getCluster().getMembers()) {
      members.add(
          new JsonObject()
              .put("uuid", m.getUuid().toString())
              .put("address", m.getAddress().getHost() + ":" + m.getAddress().getPort())
              .put("service", m.getAttribute("plinth.service"))
              .put("local", m.localMember()));
    }
    return members;
  }

  private static JsonArray databases(List<NodeEntry> entries) {
    JsonArray pools = new JsonArray();
    for (NodeEntry entry : entries) {
      for (PoolFigures pool : entry.pools()) {
        pools.add(
            new JsonObject()
                .put("service", entry.service())
                .put("node", entry.node())
                .put("pool", pool.name())
                .put("role", pool.role())
                .put("size", pool.size())
                .put("maxSize", pool.maxSize())
                .put("inUse", pool.inUse())
                .put("waiting", pool.waiting()));
      }
    }
    return pools;
  }
}
