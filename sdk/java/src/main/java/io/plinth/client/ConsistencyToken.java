package io.plinth.client;

import java.net.http.HttpHeaders;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The latest {@code Plinth-Consistency-Token} an answer carried, sent back on every later request,
 * so that a read never sees data older than the application's own last write. The token is opaque:
 * the latest one seen wins.
 */
final class ConsistencyToken {

  static final String HEADER = "Plinth-Consistency-Token";

  private final AtomicReference<String> latest = new AtomicReference<>();

  void remember(HttpHeaders headers) {
    headers.firstValue(HEADER).filter(value -> !value.isBlank()).ifPresent(latest::set);
  }

  void addTo(Map<String, String> headers) {
    String token = latest.get();
    if (token != null) {
      headers.put(HEADER, token);
    }
  }

  String current() {
    return latest.get();
  }
}
