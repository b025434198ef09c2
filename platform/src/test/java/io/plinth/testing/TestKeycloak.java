package io.plinth.testing;

import io.plinth.localkeycloak.LocalKeycloak;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The one Keycloak of a test JVM, found in this order: the server in {@code
 * PLINTH_TEST_KEYCLOAK_URL} ({@code http://admin:password@host:port}), a Testcontainers container
 * of the same Keycloak version when a Docker engine answers, else the distribution from Maven
 * Central started with {@code kc.sh start-dev} on loopback ({@link LocalKeycloak}) and reached
 * through a {@link TcpRelay}, which its outages cut. Both run with the realm cache of ADR 0010
 * ({@link LocalKeycloak#realmCacheOption()}). Tests share it: each makes realms and tenants of its
 * own names.
 */
public final class TestKeycloak {

  /** {@code http://user:password@host:port} of a Keycloak whose master admin tests may use. */
  public static final String URL_VARIABLE = "PLINTH_TEST_KEYCLOAK_URL";

  private static volatile Server server;

  private TestKeycloak() {}

  /** Where Keycloak is, the master realm's administrator, and how to take it away for a while. */
  public record Server(
      String url, String adminUser, String adminPassword, String source, Outage outage) {}

  /** Takes Keycloak away (it stops answering) and brings it back, on the same address and data. */
  public interface Outage {
    void begin();

    void end();
  }

  public static Server server() {
    Server s = server;
    if (s == null) {
      synchronized (TestKeycloak.class) {
        if (server == null) {
          server = start();
        }
        s = server;
      }
    }
    return s;
  }

  private static Server start() {
    String url = System.getenv(URL_VARIABLE);
    if (url != null && !url.isBlank()) {
      URI uri = URI.create(url);
      String[] credentials = uri.getUserInfo().split(":", 2);
      Outage none =
          new Outage() {
            @Override
            public void begin() {
              throw new UnsupportedOperationException(
                  "a Keycloak named by " + URL_VARIABLE + " cannot be stopped by the tests");
            }

            @Override
            public void end() {}
          };
      return new Server(
          uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort(),
          credentials[0],
          credentials[1],
          URL_VARIABLE,
          none);
    }
    if (Docker.answers()) {
      return container();
    }
    try {
      Path data = Files.createTempDirectory("plinth-test-keycloak-");
      LocalKeycloak kc = LocalKeycloak.builder().dataDirectory(data).start();
      // Tests reach Keycloak through a relay, so that an outage is the relay cut (clients see
      // connections reset and refused, as from a stopped Keycloak) and its end is instant, not a
      // 20 s restart. Keycloak names itself after the address it is reached on: its issuers are
      // the relay's.
      URI direct = URI.create(kc.url());
      TcpRelay relay = TcpRelay.to(direct.getHost(), direct.getPort());
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    relay.close();
                    kc.close();
                    TestFiles.deleteRecursively(data);
                  }));
      return new Server(
          direct.getScheme() + "://" + direct.getHost() + ":" + relay.port(),
          kc.adminUser(),
          kc.adminPassword(),
          "local distribution " + LocalKeycloak.version(),
          new Outage() {
            @Override
            public void begin() {
              relay.cut();
            }

            @Override
            public void end() {
              relay.restore();
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM ends
  private static Server container() {
    String password = "admin-" + Long.toHexString(System.nanoTime());
    GenericContainer<?> kc =
        new GenericContainer<>("quay.io/keycloak/keycloak:" + LocalKeycloak.version())
            // The realm cache Plinth's Keycloaks run with (ADR 0010), as LocalKeycloak passes it.
            .withCommand("start-dev", LocalKeycloak.realmCacheOption())
            .withEnv("KC_BOOTSTRAP_ADMIN_USERNAME", "admin")
            .withEnv("KC_BOOTSTRAP_ADMIN_PASSWORD", password)
            .withExposedPorts(8080)
            .waitingFor(
                Wait.forHttp("/realms/master")
                    .forPort(8080)
                    .withStartupTimeout(Duration.ofMinutes(3)));
    kc.start();
    // Pausing keeps the mapped port (a restart would not): Keycloak stops answering, then resumes.
    Outage pause =
        new Outage() {
          @Override
          public void begin() {
            kc.getDockerClient().pauseContainerCmd(kc.getContainerId()).exec();
          }

          @Override
          public void end() {
            kc.getDockerClient().unpauseContainerCmd(kc.getContainerId()).exec();
          }
        };
    return new Server(
        "http://" + kc.getHost() + ":" + kc.getMappedPort(8080),
        "admin",
        password,
        "testcontainers",
        pause);
  }
}
