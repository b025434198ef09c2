package io.plinth.platform.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UsageRecorderTest {

  private static final long MINUTE = 60_000;
  private final AtomicLong clock = new AtomicLong(100 * MINUTE + 5_000);
  private final UsageRecorder recorder = new UsageRecorder(Duration.ofMinutes(1), clock::get);
  private final UUID acme = new UUID(0, 1);
  private final UUID globex = new UUID(0, 2);

  @Test
  void countsPerTenantPerMinuteAndHandsOutAMinuteOnceItEnded() {
    recorder.record(acme, 200, 1_000_000);
    recorder.record(acme, 404, 1_000_000); // the client's mistake: not an error
    recorder.record(acme, 503, 1_000_000);
    recorder.record(globex, 429, 1_000_000);
    assertThat(recorder.finished()).as("the minute still runs").isEmpty();

    clock.set(101 * MINUTE + 100);
    recorder.record(acme, 200, 1_000_000);
    assertThat(recorder.finished()).as("requests may still be adding to it").isEmpty();

    clock.set(101 * MINUTE + 20_000);
    List<UsageRecorder.Period> done = recorder.finished();
    assertThat(done).hasSize(1);
    UsageRecorder.Period minute = done.get(0);
    assertThat(minute.start()).isEqualTo(Instant.ofEpochMilli(100 * MINUTE));
    assertThat(minute.counts())
        .extracting(UsageCounts::tenant, UsageCounts::requests, UsageCounts::errors)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(acme, 3L, 1L),
            org.assertj.core.groups.Tuple.tuple(globex, 1L, 1L));
    assertThat(minute.total().requests()).isEqualTo(4);
    assertThat(minute.total().latency()[LatencyHistogram.bucketOf(1_000_000)]).isEqualTo(4);
    assertThat(recorder.finished()).as("handed out once").isEmpty();
  }

  @Test
  void minutesWithoutTrafficGiveNoRows() {
    clock.set(110 * MINUTE);
    recorder.record(acme, 200, 1);
    clock.set(120 * MINUTE);
    assertThat(recorder.finished())
        .extracting(UsageRecorder.Period::start)
        .containsExactly(Instant.ofEpochMilli(110 * MINUTE));
  }

  @Test
  void aStoppingNodeDrainsTheRunningMinuteToo() {
    recorder.record(acme, 200, 1);
    clock.set(101 * MINUTE + 100);
    recorder.record(acme, 200, 1);
    recorder.record(globex, 200, 1);
    List<UsageRecorder.Period> drained = recorder.drain();
    assertThat(drained)
        .extracting(UsageRecorder.Period::start, p -> p.total().requests())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Instant.ofEpochMilli(100 * MINUTE), 1L),
            org.assertj.core.groups.Tuple.tuple(Instant.ofEpochMilli(101 * MINUTE), 2L));
    assertThat(recorder.drain()).as("handed out once").isEmpty();
    clock.set(110 * MINUTE);
    assertThat(recorder.finished()).isEmpty();
  }
}
