package io.plinth.platform.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Every setting Plinth reads, in one place. The table in docs/configuration.md lists exactly these
 * (launcher's ConfigurationDocsTest keeps the two in step).
 */
public final class Settings {

  private Settings() {}

  public static final Setting<String> HTTP_HOST =
      Setting.of("plinth.http.host", "0.0.0.0", "Address the HTTP server binds to.", Parsers::text);
  public static final Setting<Integer> HTTP_PORT =
      Setting.of(
          "plinth.http.port",
          null,
          "HTTP port (0 picks a free one). Defaults: 8081 control plane, 8080 data plane.",
          Parsers::port);
  public static final Setting<Integer> HTTP_INSTANCES =
      Setting.of(
          "plinth.http.instances",
          String.valueOf(Math.max(1, Runtime.getRuntime().availableProcessors())),
          "HTTP server verticles, one per event loop (default: the number of cores).",
          Parsers.intBetween(1, 256));
  public static final Setting<Integer> HTTP_MAX_BODY_BYTES =
      Setting.of(
          "plinth.http.max-body-bytes",
          "1048576",
          "Largest request body accepted; larger ones get 413.",
          Parsers.intBetween(1024, 64 * 1024 * 1024));
  public static final Setting<Duration> HTTP_LATE_AFTER =
      Setting.of(
          "plinth.http.late-after",
          "2ms",
          "How late an event-loop probe timer may fire before the node counts itself contended"
              + " and lowers the heaviest tenants' busy-time allowance (ADR 0013); 0ms turns it off.",
          Parsers::duration);

  public static final Setting<String> HTTP_ADVERTISED_URL =
      Setting.of(
          "plinth.http.advertised-url",
          "",
          "URL other nodes and the console reach this node at, as listed by GET /admin/v1/cluster;"
              + " empty: http://<plinth.http.host, or 127.0.0.1 when that is 0.0.0.0>:<port>.",
          Parsers::text);

  public static final Setting<URI> DB_URL =
      Setting.of(
          "plinth.db.url",
          "postgresql://127.0.0.1:5432/plinth",
          "PostgreSQL primary (writer), as postgresql://host:port/database.",
          Parsers::postgresUrl);
  public static final Setting<List<URI>> DB_READER_URLS =
      Setting.of(
          "plinth.db.reader-urls",
          "",
          "Comma-separated read replicas, same form as plinth.db.url; empty reads from the writer."
              + " Queries that may be stale go to a replica; writes, and reads sent with a"
              + " Plinth-Consistency-Token, see the writes (docs/tenant-api.md#consistency).",
          Parsers.listOf(Parsers::postgresUrl));
  public static final Setting<Duration> DB_REPLICA_MAX_LAG =
      Setting.of(
          "plinth.db.replica-max-lag",
          "5s",
          "A replica whose replay is further behind the writer leaves the read rotation; it comes"
              + " back once it is within this again.",
          Parsers::duration);
  public static final Setting<Duration> DB_REPLICA_CHECK_INTERVAL =
      Setting.of(
          "plinth.db.replica-check-interval",
          "1s",
          "How often each node measures each replica's lag and replay position (and finds a"
              + " replica down).",
          Parsers::period);
  public static final Setting<Duration> DB_READ_YOUR_WRITES_WAIT =
      Setting.of(
          "plinth.db.read-your-writes-wait",
          "100ms",
          "Longest a read with a consistency token waits for a replica to replay past it; then"
              + " the writer serves it.",
          Parsers::duration);
  public static final Setting<String> DB_USER =
      Setting.of("plinth.db.user", "plinth", "PostgreSQL user.", Parsers::nonBlank);
  public static final Setting<Secret> DB_PASSWORD =
      Setting.secret(
          "plinth.db.password", "", "PostgreSQL password (never logged).", Parsers::secret);
  public static final Setting<Integer> DB_POOL_SIZE =
      Setting.of(
          "plinth.db.pool-size",
          "16",
          "Connections per pool (writer, and each reader) per node.",
          Parsers.intBetween(1, 1000));
  public static final Setting<Duration> DB_CONNECT_TIMEOUT =
      Setting.of(
          "plinth.db.connect-timeout",
          "5s",
          "How long to wait for a new PostgreSQL connection.",
          Parsers::duration);

  public static final Setting<Duration> DB_STATEMENT_TIMEOUT =
      Setting.of(
          "plinth.db.statement-timeout",
          "10s",
          "Longest a statement of the request path may run; PostgreSQL cancels it and the client"
              + " gets 503 query_timeout.",
          Parsers::duration);

  public static final Setting<Integer> DB_PARALLEL_WORKERS =
      Setting.of(
          "plinth.db.parallel-workers-per-statement",
          "0",
          "PostgreSQL parallel workers one statement may use (max_parallel_workers_per_gather);"
              + " 0 keeps each request on one database core, so one tenant's scans cannot take"
              + " several (ADR 0012).",
          Parsers.intBetween(0, 64));

  public static final Setting<String> CLUSTER_NAME =
      Setting.of(
          "plinth.cluster.name",
          "plinth",
          "Hazelcast cluster name; only members with the same name join each other.",
          Parsers::nonBlank);
  public static final Setting<String> CLUSTER_INTERFACE =
      Setting.of(
          "plinth.cluster.interface",
          "127.0.0.1",
          "Address Hazelcast binds to and announces; empty lets Hazelcast choose. With Kubernetes"
              + " discovery the default is empty (the pod's address).",
          Parsers::text);
  public static final Setting<Integer> CLUSTER_PORT =
      Setting.of(
          "plinth.cluster.port",
          "5701",
          "First Hazelcast member port; the next free one is taken when it is busy. With"
              + " Kubernetes discovery exactly this one (peers look for it there), so a busy port"
              + " fails start-up.",
          Parsers::port);
  public static final Setting<List<String>> CLUSTER_MEMBERS =
      Setting.of(
          "plinth.cluster.members",
          "127.0.0.1",
          "Comma-separated host[:port] of members to join over TCP-IP (ignored with Kubernetes).",
          Parsers.listOf(Parsers::hostPort));
  public static final Setting<Integer> CLUSTER_MIN_MEMBERS =
      Setting.of(
          "plinth.cluster.min-members",
          "1",
          "Split-brain protection: the fewest members a group must have to use the shared caches"
              + " and counters; set a majority of the members you run (2 of 3). A member split off"
              + " into a smaller group reads PostgreSQL directly. 1 turns it off.",
          Parsers.intBetween(1, 1000));
  public static final Setting<Boolean> CLUSTER_KUBERNETES =
      Setting.of(
          "plinth.cluster.kubernetes.enabled",
          "false",
          "Find members through Hazelcast's Kubernetes discovery (plinth.cluster.kubernetes.mode)"
              + " instead of plinth.cluster.members, which is then ignored; docs/kubernetes-cluster.md.",
          Parsers::bool);
  public static final Setting<PlinthConfig.KubernetesMode> CLUSTER_KUBERNETES_MODE =
      Setting.of(
          "plinth.cluster.kubernetes.mode",
          "dns",
          "With Kubernetes discovery: dns looks members up in the DNS records of a headless Service"
              + " (plinth.cluster.kubernetes.service-dns); api reads the Service's EndpointSlices"
              + " from the Kubernetes API (plinth.cluster.kubernetes.service-name; needs a Role).",
          Parsers.lowerCaseEnum(PlinthConfig.KubernetesMode.class));
  public static final Setting<String> CLUSTER_KUBERNETES_SERVICE_DNS =
      Setting.of(
          "plinth.cluster.kubernetes.service-dns",
          "",
          "dns mode: DNS name of the headless Service covering every Plinth pod, e.g."
              + " plinth-hazelcast.plinth.svc.cluster.local; members are reached on"
              + " plinth.cluster.port of each address it resolves to.",
          Parsers::dnsNameOrEmpty);
  public static final Setting<String> CLUSTER_KUBERNETES_SERVICE_NAME =
      Setting.of(
          "plinth.cluster.kubernetes.service-name",
          "",
          "api mode: name of the Service whose endpoints are the members (ready or not).",
          Parsers::kubernetesNameOrEmpty);
  public static final Setting<String> CLUSTER_KUBERNETES_NAMESPACE =
      Setting.of(
          "plinth.cluster.kubernetes.namespace",
          "",
          "api mode: namespace of that Service; empty: the pod's own (from its service account).",
          Parsers::kubernetesNameOrEmpty);
  public static final Setting<URI> CLUSTER_KUBERNETES_API_URL =
      Setting.of(
          "plinth.cluster.kubernetes.api-url",
          "https://kubernetes.default.svc",
          "api mode: the Kubernetes API server; the bearer token and CA certificate are the pod's"
              + " service account's.",
          Parsers::httpUrl);

  public static final Setting<Duration> SHUTDOWN_TIMEOUT =
      Setting.of(
          "plinth.shutdown.timeout",
          "10s",
          "On stop, how long in-flight requests may take to finish before connections close, and"
              + " then how long the service's own stop work may take (the data plane writes its"
              + " unfinished usage counts, the control plane revokes its operator-access keys).",
          Parsers::duration);
  public static final Setting<Duration> HEALTH_TIMEOUT =
      Setting.of(
          "plinth.health.timeout",
          "2s",
          "Longest a readiness check may take before it counts as down.",
          Parsers::duration);

  public static final Setting<Duration> USAGE_FLUSH_INTERVAL =
      Setting.of(
          "plinth.usage.flush-interval",
          "1m",
          "Data plane: how long a node counts each tenant's requests before it writes the counts"
              + " to plinth.usage_minutes (one row per tenant with traffic); divides 1m evenly.",
          Parsers::usagePeriod);
  public static final Setting<Duration> USAGE_RETENTION =
      Setting.of(
          "plinth.usage.retention",
          "24h",
          "How long the usage time series (requests, errors, latency, rows, storage) is kept"
              + " before the control plane prunes it; at least 24h, which GET /admin/v1/usage/series"
              + " shows (ADR 0015).",
          Parsers::usageRetention);
  public static final Setting<Duration> USAGE_SAMPLE_INTERVAL =
      Setting.of(
          "plinth.usage.sample-interval",
          "5m",
          "Control plane: how often rows and storage are measured for tenants that had traffic"
              + " since their last measurement, and old usage is pruned.",
          Parsers::duration);
  public static final Setting<Integer> USAGE_SAMPLE_BATCH =
      Setting.of(
          "plinth.usage.sample-batch",
          "100",
          "Control plane: most tenants measured per sampling cycle (the least recently measured"
              + " first), which bounds the cycle's work at any number of tenants.",
          Parsers.intBetween(1, 10_000));

  public static final Setting<Integer> METRICS_TENANT_TAGS =
      Setting.of(
          "plinth.metrics.tenant-tags",
          "20",
          "Data plane: most tenants per node with a tenant tag of their own in /metrics (the"
              + " busiest, re-elected each minute; separately, those with the most authentication"
              + " failures); the rest count as tenant _other. Bounds the series per node (docs/observability.md).",
          Parsers.intBetween(0, 1000));
  public static final Setting<Integer> METRICS_SOURCE_TAGS =
      Setting.of(
          "plinth.metrics.source-tags",
          "10",
          "Data plane: most client networks (/24, /48) per node with a source tag of their own in"
              + " plinth_auth_invalid_key_sources_total (those sending the most invalid keys); the"
              + " rest count as source _other.",
          Parsers.intBetween(0, 1000));

  public static final List<Setting<?>> ALL =
      List.of(
          HTTP_HOST,
          HTTP_PORT,
          HTTP_INSTANCES,
          HTTP_MAX_BODY_BYTES,
          HTTP_LATE_AFTER,
          HTTP_ADVERTISED_URL,
          DB_URL,
          DB_READER_URLS,
          DB_REPLICA_MAX_LAG,
          DB_REPLICA_CHECK_INTERVAL,
          DB_READ_YOUR_WRITES_WAIT,
          DB_USER,
          DB_PASSWORD,
          DB_POOL_SIZE,
          DB_CONNECT_TIMEOUT,
          DB_STATEMENT_TIMEOUT,
          DB_PARALLEL_WORKERS,
          CLUSTER_NAME,
          CLUSTER_INTERFACE,
          CLUSTER_PORT,
          CLUSTER_MEMBERS,
          CLUSTER_MIN_MEMBERS,
          CLUSTER_KUBERNETES,
          CLUSTER_KUBERNETES_MODE,
          CLUSTER_KUBERNETES_SERVICE_DNS,
          CLUSTER_KUBERNETES_SERVICE_NAME,
          CLUSTER_KUBERNETES_NAMESPACE,
          CLUSTER_KUBERNETES_API_URL,
          SHUTDOWN_TIMEOUT,
          HEALTH_TIMEOUT,
          USAGE_FLUSH_INTERVAL,
          USAGE_RETENTION,
          USAGE_SAMPLE_INTERVAL,
          USAGE_SAMPLE_BATCH,
          METRICS_TENANT_TAGS,
          METRICS_SOURCE_TAGS);
}
