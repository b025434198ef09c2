package io.plinth.tenantapi;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives the test classes that need nothing of their own one {@link DataPlane} for the whole test
 * JVM, so that its database, cluster, control plane and data-plane node start once instead of once
 * a class. A class asks for it as a {@code DataPlane} parameter of its {@code @BeforeAll}; tests
 * keep apart through {@link DataPlane#newTenant()}, as tenants keep apart in production. The nodes
 * a class adds are stopped after it, so each class finds the plane as the first one did. A class
 * that changes settings, kills nodes or injects faults makes a plane of its own instead.
 */
final class SharedDataPlane implements ParameterResolver, AfterAllCallback {

  private static final ExtensionContext.Namespace SHARED =
      ExtensionContext.Namespace.create(SharedDataPlane.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == DataPlane.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    // In the root store, closed (DataPlane is AutoCloseable) when the JVM's tests are done.
    return context
        .getRoot()
        .getStore(SHARED)
        .getOrComputeIfAbsent(DataPlane.class, type -> new DataPlane(), DataPlane.class);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    DataPlane plane = context.getRoot().getStore(SHARED).get(DataPlane.class, DataPlane.class);
    if (plane != null) {
      plane.stopAddedNodes();
    }
  }
}
