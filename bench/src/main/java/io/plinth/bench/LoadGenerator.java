package io.plinth.bench;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop HTTP load generator on a Vert.x instance of its own with one event loop: {@code
 * connections} requests in flight, each followed by the next as soon as it completes. Requests
 * started during the warm-up are not recorded; requests started during the measurement are recorded
 * when they complete (latency, and an error for anything but 2xx or a failure).
 */
final class LoadGenerator implements AutoCloseable {

  /** One request to send: method, URI, optional body, and how many records it carries. */
  record Call(HttpMethod method, String uri, Buffer body, int records) {
    static Call get(String uri) {
      return new Call(HttpMethod.GET, uri, null, 0);
    }

    static Call post(String uri, String json, int records) {
      return new Call(HttpMethod.POST, uri, Buffer.buffer(json), records);
    }
  }

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final Context context;
  private final int connections;
  private final String apiKey;

  LoadGenerator(int connections, String apiKey) {
    this.connections = connections;
    this.apiKey = apiKey;
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setPipelining(false),
            new PoolOptions().setHttp1MaxSize(connections));
    this.context = vertx.getOrCreateContext();
  }

  /** How many requests it keeps in flight. */
  int inFlight() {
    return connections;
  }

  /** Runs one scenario: warm-up, then measurement; blocks until every request has completed. */
  ScenarioResult run(
      String name, int port, Supplier<Call> calls, int warmupSeconds, int measureSeconds)
      throws Exception {
    Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    long[] counts = new long[3]; // requests, records, errors (touched on the event loop only)
    List<String> samples = new ArrayList<>();
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          long start = System.nanoTime();
          long measureFrom = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
          long measureTo = measureFrom + TimeUnit.SECONDS.toNanos(measureSeconds);
          int[] inFlight = {0};
          Runnable[] next = new Runnable[1];
          next[0] =
              () -> {
                long now = System.nanoTime();
                if (now >= measureTo) {
                  if (inFlight[0] == 0) {
                    done.tryComplete();
                  }
                  return;
                }
                Call call = calls.get();
                boolean recorded = now >= measureFrom;
                inFlight[0]++;
                RequestOptions options =
                    new RequestOptions()
                        .setMethod(call.method())
                        .setPort(port)
                        .setHost("127.0.0.1")
                        .setURI(call.uri())
                        .setTimeout(60_000);
                client
                    .request(options)
                    .compose(
                        req -> {
                          req.putHeader("apikey", apiKey);
                          if (call.body() == null) {
                            return req.send();
                          }
                          req.putHeader("Content-Type", "application/json");
                          return req.send(call.body());
                        })
                    .compose(
                        resp -> resp.body().map(body -> new Object[] {resp.statusCode(), body}))
                    .onComplete(
                        ar -> {
                          long nanos = System.nanoTime() - now;
                          inFlight[0]--;
                          if (recorded) {
                            counts[0]++;
                            histogram.recordValue(
                                Math.min(nanos, histogram.getHighestTrackableValue()));
                            int status = ar.succeeded() ? (int) ar.result()[0] : -1;
                            if (status >= 200 && status < 300) {
                              counts[1] += call.records();
                            } else {
                              counts[2]++;
                              if (samples.size() < 3) {
                                samples.add(
                                    ar.succeeded()
                                        ? status + " " + abbreviate(ar.result()[1].toString())
                                        : String.valueOf(ar.cause()));
                              }
                            }
                          }
                          next[0].run();
                        });
              };
          for (int i = 0; i < connections; i++) {
            next[0].run();
          }
        });
    done.future().await(warmupSeconds + measureSeconds + 120L, TimeUnit.SECONDS);
    return new ScenarioResult(
        name,
        counts[0],
        counts[1],
        measureSeconds,
        histogram.getMean() / 1e6,
        histogram.getValueAtPercentile(50) / 1e6,
        histogram.getValueAtPercentile(90) / 1e6,
        histogram.getValueAtPercentile(99) / 1e6,
        histogram.getMaxValue() / 1e6,
        counts[2],
        List.copyOf(samples));
  }

  private static String abbreviate(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }

  @Override
  public void close() throws Exception {
    client.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
