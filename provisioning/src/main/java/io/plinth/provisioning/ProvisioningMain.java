package io.plinth.provisioning;

import io.plinth.platform.server.PlinthMain;

/**
 * Runs one provisioning node as a process. Configuration: environment variables, see
 * docs/configuration.md.
 */
public final class ProvisioningMain {

  private ProvisioningMain() {}

  public static void main(String[] args) {
    PlinthMain.run(new ProvisioningService());
  }
}
