package io.plinth.localkeycloak;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts the real Keycloak distribution, stops it and starts it again on the same data. */
class LocalKeycloakIT {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void startsStopsAndKeepsItsRealmsAcrossARestart(@TempDir Path data) throws Exception {
    try (LocalKeycloak kc = LocalKeycloak.builder().dataDirectory(data).start()) {
      String token = adminToken(kc);
      HttpResponse<String> created =
          http.send(
              HttpRequest.newBuilder(URI.create(kc.url() + "/admin/realms"))
                  .header("Authorization", "Bearer " + token)
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString("{\"realm\":\"kept\",\"enabled\":true}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).isEqualTo(201);

      kc.stop();
      assertThat(kc.isRunning()).isFalse();
      assertThat(status(kc.url() + "/realms/kept")).isEqualTo(-1);

      kc.start();
      assertThat(status(kc.url() + "/realms/kept")).isEqualTo(200);
      assertThat(adminToken(kc)).isNotBlank();
    }
  }

  private String adminToken(LocalKeycloak kc) throws Exception {
    String form =
        "grant_type=password&client_id=admin-cli&username="
            + URLEncoder.encode(kc.adminUser(), StandardCharsets.UTF_8)
            + "&password="
            + URLEncoder.encode(kc.adminPassword(), StandardCharsets.UTF_8);
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(kc.url() + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    String body = response.body();
    int start = body.indexOf("\"access_token\":\"") + 16;
    return body.substring(start, body.indexOf('"', start));
  }

  private int status(String url) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
