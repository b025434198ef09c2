package io.plinth.platform.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole, immutable configuration of one Plinth service, loaded once at start-up. {@code source}
 * is where it came from, for settings a service adds of its own.
 */
public record PlinthConfig(
    Http http,
    Database database,
    Cluster cluster,
    Duration shutdownTimeout,
    Duration healthTimeout,
    ConfigSource source) {

  public record Http(String host, int port, int instances, int maxBodyBytes, Duration lateAfter) {}

  public record Database(
      URI writerUrl,
      List<URI> readerUrls,
      Duration replicaMaxLag,
      Duration replicaCheckInterval,
      Duration readYourWritesWait,
      String user,
      Secret password,
      int poolSize,
      Duration connectTimeout,
      Duration statementTimeout,
      int parallelWorkersPerStatement) {}

  public record Cluster(
      String name,
      String interfaceAddress,
      int port,
      List<String> members,
      int minMembers,
      Kubernetes kubernetes) {}

  /** How Hazelcast's Kubernetes discovery finds the members. */
  public enum KubernetesMode {
    /** The addresses a headless Service's DNS name resolves to. */
    DNS,
    /** The endpoints of a Service, read from the Kubernetes API. */
    API
  }

  /**
   * Hazelcast's Kubernetes discovery, used instead of the TCP-IP member list when enabled.
   *
   * @param serviceDns dns mode: the headless Service's DNS name
   * @param serviceName api mode: the Service whose endpoints are the members
   * @param namespace api mode: the Service's namespace; empty for the pod's own
   * @param apiUrl api mode: the Kubernetes API server
   */
  public record Kubernetes(
      boolean enabled,
      KubernetesMode mode,
      String serviceDns,
      String serviceName,
      String namespace,
      URI apiUrl) {

    /** The in-cluster address of the Kubernetes API server. */
    public static final URI IN_CLUSTER_API = URI.create("https://kubernetes.default.svc");

    /** Off: members join over TCP-IP. */
    public static final Kubernetes OFF =
        new Kubernetes(false, KubernetesMode.DNS, "", "", "", IN_CLUSTER_API);

    /** DNS lookup of a headless Service. */
    public static Kubernetes dns(String serviceDns) {
      return new Kubernetes(true, KubernetesMode.DNS, serviceDns, "", "", IN_CLUSTER_API);
    }

    /** The endpoints of {@code serviceName} in {@code namespace}, read from {@code apiUrl}. */
    public static Kubernetes api(String serviceName, String namespace, URI apiUrl) {
      return new Kubernetes(true, KubernetesMode.API, "", serviceName, namespace, apiUrl);
    }
  }

  /**
   * Reads every setting from {@code source}.
   *
   * @throws ConfigException naming each missing or invalid setting, one per line
   */
  public static PlinthConfig load(ConfigSource source) {
    Reader r = new Reader(source);
    // Read everything before building anything, so one run reports every bad setting.
    String host = r.get(Settings.HTTP_HOST);
    Integer port = r.get(Settings.HTTP_PORT);
    Integer instances = r.get(Settings.HTTP_INSTANCES);
    Integer maxBody = r.get(Settings.HTTP_MAX_BODY_BYTES);
    Duration lateAfter = r.get(Settings.HTTP_LATE_AFTER);
    URI dbUrl = r.get(Settings.DB_URL);
    List<URI> readers = r.get(Settings.DB_READER_URLS);
    Duration replicaMaxLag = r.get(Settings.DB_REPLICA_MAX_LAG);
    Duration replicaCheckInterval = r.get(Settings.DB_REPLICA_CHECK_INTERVAL);
    Duration readYourWritesWait = r.get(Settings.DB_READ_YOUR_WRITES_WAIT);
    String dbUser = r.get(Settings.DB_USER);
    Secret dbPassword = r.get(Settings.DB_PASSWORD);
    Integer poolSize = r.get(Settings.DB_POOL_SIZE);
    Duration connectTimeout = r.get(Settings.DB_CONNECT_TIMEOUT);
    Duration statementTimeout = r.get(Settings.DB_STATEMENT_TIMEOUT);
    Integer parallelWorkers = r.get(Settings.DB_PARALLEL_WORKERS);
    String clusterName = r.get(Settings.CLUSTER_NAME);
    String clusterInterface = r.get(Settings.CLUSTER_INTERFACE);
    Integer clusterPort = r.get(Settings.CLUSTER_PORT);
    List<String> members = r.get(Settings.CLUSTER_MEMBERS);
    Integer minMembers = r.get(Settings.CLUSTER_MIN_MEMBERS);
    Boolean kubernetesEnabled = r.get(Settings.CLUSTER_KUBERNETES);
    KubernetesMode kubernetesMode = r.get(Settings.CLUSTER_KUBERNETES_MODE);
    String serviceDns = r.get(Settings.CLUSTER_KUBERNETES_SERVICE_DNS);
    String serviceName = r.get(Settings.CLUSTER_KUBERNETES_SERVICE_NAME);
    String namespace = r.get(Settings.CLUSTER_KUBERNETES_NAMESPACE);
    URI apiUrl = r.get(Settings.CLUSTER_KUBERNETES_API_URL);
    Duration shutdownTimeout = r.get(Settings.SHUTDOWN_TIMEOUT);
    Duration healthTimeout = r.get(Settings.HEALTH_TIMEOUT);
    boolean kubernetes = Boolean.TRUE.equals(kubernetesEnabled);
    if (kubernetes && kubernetesMode == KubernetesMode.DNS && "".equals(serviceDns)) {
      r.requiredInMode(Settings.CLUSTER_KUBERNETES_SERVICE_DNS, "dns");
    }
    if (kubernetes && kubernetesMode == KubernetesMode.API && "".equals(serviceName)) {
      r.requiredInMode(Settings.CLUSTER_KUBERNETES_SERVICE_NAME, "api");
    }
    // The loopback default suits a laptop; in a pod it would hide the member from its peers.
    if (kubernetes && !source.isSet(Settings.CLUSTER_INTERFACE)) {
      clusterInterface = "";
    }
    r.throwIfAny();
    return new PlinthConfig(
        new Http(host, port, instances, maxBody, lateAfter),
        new Database(
            dbUrl,
            readers,
            replicaMaxLag,
            replicaCheckInterval,
            readYourWritesWait,
            dbUser,
            dbPassword,
            poolSize,
            connectTimeout,
            statementTimeout,
            parallelWorkers),
        new Cluster(
            clusterName,
            clusterInterface,
            clusterPort,
            members,
            minMembers,
            kubernetes
                ? new Kubernetes(true, kubernetesMode, serviceDns, serviceName, namespace, apiUrl)
                : Kubernetes.OFF),
        shutdownTimeout,
        healthTimeout,
        source);
  }

  /**
   * {@code Invalid setting PLINTH_X (plinth.x) <message>}: one line of a {@link ConfigException}.
   */
  public static String problem(Setting<?> setting, String message) {
    return "Invalid setting %s (%s) %s"
        .formatted(setting.environmentVariable(), setting.key(), message);
  }

  static String invalid(Setting<?> setting, ConfigSource.Found found, IllegalArgumentException e) {
    return "Invalid setting %s (from %s) = '%s': %s"
        .formatted(
            setting.environmentVariable(),
            found.origin(),
            setting.printable(found.text()),
            e.getMessage());
  }

  /** Parses settings one by one and collects every problem, so one run reports them all. */
  private static final class Reader {
    private final ConfigSource source;
    private final List<String> problems = new ArrayList<>();

    Reader(ConfigSource source) {
      this.source = source;
    }

    <T> T get(Setting<T> setting) {
      var found = source.find(setting);
      if (found.isEmpty()) {
        problem(setting, "is required but not set");
        return null;
      }
      try {
        return setting.parser().parse(found.get().text());
      } catch (IllegalArgumentException e) {
        problems.add(invalid(setting, found.get(), e));
        return null;
      }
    }

    void problem(Setting<?> setting, String message) {
      problems.add(PlinthConfig.problem(setting, message));
    }

    void requiredInMode(Setting<?> setting, String mode) {
      problem(
          setting,
          "is required when %s is true and %s is %s"
              .formatted(
                  Settings.CLUSTER_KUBERNETES.environmentVariable(),
                  Settings.CLUSTER_KUBERNETES_MODE.environmentVariable(),
                  mode));
    }

    void throwIfAny() {
      if (!problems.isEmpty()) {
        throw new ConfigException(problems);
      }
    }
  }
}
