package io.plinth.platform.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Hazelcast's futures as Vert.x futures, without a thread per completion.
 *
 * <p>A Hazelcast future runs a callback added without an executor ({@code whenComplete}, as {@link
 * Future#fromCompletionStage} adds it) on Hazelcast's default async executor: {@code
 * ForkJoinPool.commonPool()}, or, when the common pool has a parallelism of 1 (any machine with two
 * cores or fewer), a new thread for every callback ({@code
 * com.hazelcast.internal.util.ConcurrencyUtil}). On such a machine every map call from a request
 * started and ended a thread. Here the callback runs on the thread that completes the future (a
 * Hazelcast response or partition thread) and does nothing there but hand the outcome to the
 * caller's Vert.x context.
 */
public final class ClusterFutures {

  private ClusterFutures() {}

  /** Runs a callback on the thread that completes the future; it must only hand work on. */
  private static final Executor COMPLETING_THREAD = Runnable::run;

  /** The outcome of {@code stage}, delivered on {@code context}. */
  public static <T> Future<T> onContext(CompletionStage<T> stage, Context context) {
    Promise<T> promise = Promise.promise();
    stage.whenCompleteAsync(
        (value, failure) ->
            context.runOnContext(
                ignored -> {
                  if (failure != null) {
                    promise.fail(failure);
                  } else {
                    promise.complete(value);
                  }
                }),
        COMPLETING_THREAD);
    return promise.future();
  }
}
