package io.plinth.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.provisioning.identity.RealmTemplates;
import io.plinth.provisioning.workflow.StepObserver;
import io.plinth.testing.Eventually;
import io.plinth.testing.PlinthClient;
import io.plinth.testing.PlinthClient.Response;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Keycloak taken away under a running control plane: the node stays ready (Keycloak degraded), a
 * tenant created meanwhile answers 202 with its keys and stays provisioning, and completes once
 * Keycloak is back.
 */
class KeycloakOutageIT {

  private final KeycloakTestClient keycloak = new KeycloakTestClient();
  private final ControlPlane controlPlane = new ControlPlane();
  private boolean outage;

  @AfterEach
  void endOutage() {
    if (outage) {
      keycloak.server.outage().end();
    }
    controlPlane.close();
  }

  @Test
  void aTenantCreatedWhileKeycloakIsAwayCompletesWhenItIsBack() {
    PlinthClient admin = controlPlane.start(StepObserver.NONE, keycloak.settings());
    assertThat(keycloakCheck(admin).containsKey("degraded")).isFalse();

    keycloak.server.outage().begin();
    outage = true;

    Response ready = admin.ready();
    assertThat(ready.status()).as("the node stays ready").isEqualTo(200);
    JsonObject check = ready.json().getJsonObject("checks").getJsonObject("keycloak");
    assertThat(check.getString("status")).isEqualTo("UP");
    assertThat(check.getBoolean("degraded")).isTrue();
    assertThat(check.getString("reason")).contains("Keycloak");

    String slug = "out-" + UUID.randomUUID().toString().substring(0, 8);
    Response created =
        admin.postJson(
            "/admin/v1/tenants",
            new JsonObject().put("slug", slug).put("name", "Outage").put("plan", "free"));
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    assertThat(created.header("Location")).hasValue("/admin/v1/tenants/" + slug);
    assertThat(created.json().getString("status")).isEqualTo("provisioning");
    assertThat(created.json().getJsonArray("keys")).as("keys shown now, once").hasSize(2);
    assertThat(admin.get("/admin/v1/tenants/" + slug).json().getString("status"))
        .isEqualTo("provisioning");

    keycloak.server.outage().end();
    outage = false;

    JsonObject tenant =
        Eventually.poll(
                Duration.ofSeconds(60),
                () -> admin.get("/admin/v1/tenants/" + slug),
                r -> "active".equals(r.json().getString("status")))
            .json();
    assertThat(tenant.getJsonObject("identity").getString("issuer"))
        .isEqualTo(keycloak.issuer(RealmTemplates.tenantRealm(slug)));
    assertThat(
            keycloak
                .admin(keycloak.masterAdmin(), "GET", "/" + RealmTemplates.tenantRealm(slug), null)
                .status())
        .isEqualTo(200);
    Eventually.poll(
        Duration.ofSeconds(10), () -> keycloakCheck(admin), c -> !c.containsKey("degraded"));

    assertThat(admin.delete("/admin/v1/tenants/" + slug).status()).isEqualTo(202);
    Eventually.poll(
        Duration.ofSeconds(30),
        () -> admin.get("/admin/v1/tenants/" + slug),
        r -> r.status() == 404);
  }

  private static JsonObject keycloakCheck(PlinthClient client) {
    return client.ready().json().getJsonObject("checks").getJsonObject("keycloak");
  }
}
