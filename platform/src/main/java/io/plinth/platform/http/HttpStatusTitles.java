package io.plinth.platform.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/** Standard reason phrases, used as a problem's {@code title}. */
final class HttpStatusTitles {

  private HttpStatusTitles() {}

  static String title(int status) {
    return HttpResponseStatus.valueOf(status).reasonPhrase();
  }
}
