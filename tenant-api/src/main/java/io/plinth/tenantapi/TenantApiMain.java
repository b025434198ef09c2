package io.plinth.tenantapi;

import io.plinth.platform.server.PlinthMain;

/**
 * Runs one tenant-api node as a process. Configuration: environment variables, see
 * docs/configuration.md.
 */
public final class TenantApiMain {

  private TenantApiMain() {}

  public static void main(String[] args) {
    PlinthMain.run(new TenantApiService());
  }
}
