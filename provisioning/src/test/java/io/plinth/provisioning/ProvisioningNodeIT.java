package io.plinth.provisioning;

import io.plinth.platform.server.PlinthService;
import io.plinth.testing.ServiceNodeContract;

class ProvisioningNodeIT extends ServiceNodeContract {

  @Override
  protected PlinthService service() {
    return new ProvisioningService();
  }

  @Override
  protected Class<?> mainClass() {
    return ProvisioningMain.class;
  }
}
