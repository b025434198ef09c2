package io.plinth.tenantapi;

import io.plinth.platform.server.PlinthService;
import io.plinth.testing.ServiceNodeContract;

class TenantApiNodeIT extends ServiceNodeContract {

  @Override
  protected PlinthService service() {
    return new TenantApiService();
  }

  @Override
  protected Class<?> mainClass() {
    return TenantApiMain.class;
  }
}
