package io.plinth.testing;

import org.testcontainers.DockerClientFactory;

/** Whether a Docker engine answers, so Testcontainers can start containers. */
final class Docker {

  private Docker() {}

  static boolean answers() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }
}
