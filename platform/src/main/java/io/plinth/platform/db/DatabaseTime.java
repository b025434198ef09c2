package io.plinth.platform.db;

import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.spi.VertxTracerFactory;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingPolicy;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * How long a piece of work kept the database busy: the time each of its statements took from being
 * sent on a leased connection to its result (waiting for a pooled connection is not counted). It
 * hooks into the Vert.x SQL client as a tracer, so no store has to time its own queries: work that
 * wants its database time opens a {@link Meter} on its context (a request's own, duplicated,
 * context), and every statement run from that context adds to it. Statements run without a meter
 * cost nothing but a map lookup.
 */
public final class DatabaseTime implements VertxTracer<Object, DatabaseTime.Started> {

  /** The SQL client's request type (internal to it): its statements, and nothing else, count. */
  private static final String QUERY_REQUEST = "io.vertx.sqlclient.impl.tracing.QueryRequest";

  private static final Object METER = new Object();

  /** Database time of the work on one context. Thread-safe. */
  public static final class Meter {
    private final AtomicLong nanos = new AtomicLong();

    /** Database time so far, in nanoseconds. */
    public long nanos() {
      return nanos.get();
    }

    void add(long elapsed) {
      nanos.addAndGet(elapsed);
    }
  }

  /** A statement in progress: whose meter, since when. */
  record Started(Meter meter, long at) {}

  /** For {@link io.vertx.core.VertxBuilder#withTracer}. */
  public static VertxTracerFactory factory() {
    return options -> new DatabaseTime();
  }

  /**
   * Starts counting the database time of the work on {@code context}, a request's own (duplicated)
   * context. On any other context the meter counts nothing: a shared event-loop context would mix
   * everyone's statements.
   */
  public static Meter meter(Context context) {
    Meter meter = new Meter();
    if (context instanceof ContextInternal own && own.isDuplicate()) {
      own.putLocal(METER, meter);
    }
    return meter;
  }

  @Override
  public <R> Started sendRequest(
      Context context,
      SpanKind kind,
      TracingPolicy policy,
      R request,
      String operation,
      BiConsumer<String, String> headers,
      TagExtractor<R> tagExtractor) {
    if (context == null || request == null || !request.getClass().getName().equals(QUERY_REQUEST)) {
      return null;
    }
    Meter meter = ((ContextInternal) context).getLocal(METER);
    return meter == null ? null : new Started(meter, System.nanoTime());
  }

  @Override
  public <R> void receiveResponse(
      Context context, R response, Started payload, Throwable failure, TagExtractor<R> extractor) {
    if (payload != null) {
      payload.meter().add(System.nanoTime() - payload.at());
    }
  }

  @Override
  public <R> Object receiveRequest(
      Context context,
      SpanKind kind,
      TracingPolicy policy,
      R request,
      String operation,
      Iterable<Map.Entry<String, String>> headers,
      TagExtractor<R> tagExtractor) {
    return null;
  }
}
