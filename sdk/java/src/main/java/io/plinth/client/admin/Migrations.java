package io.plinth.client.admin;

import io.plinth.client.internal.HttpTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * {@code /admin/v1/migrations}: applies pending tenant-schema migrations to every active or
 * suspended tenant, and follows the runs.
 */
public final class Migrations {

  private static final Duration POLL = Duration.ofMillis(250);

  private final PlinthAdmin admin;

  Migrations(PlinthAdmin admin) {
    this.admin = admin;
  }

  /** Starts a run; returns its id (the run goes on in the control plane). */
  public UUID start() {
    return Json.uuid(admin.send("POST", "/migrations", null).body(), "id");
  }

  public MigrationRun get(UUID run) {
    return MigrationRun.from(admin.send("GET", "/migrations/" + run, null).body());
  }

  /** The runs, newest first. */
  public Listing<MigrationRun> list() {
    return new Listing<>(admin, "/migrations", Listing.filters(), MigrationRun::from);
  }

  /**
   * Waits until the run is completed (whether or not some tenants failed: see {@link
   * MigrationRun#failed()}), reading it every 250 ms.
   *
   * @throws IllegalStateException when {@code timeout} passes first
   */
  public MigrationRun waitUntilCompleted(UUID run, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      MigrationRun progress = get(run);
      if (progress.completed()) {
        return progress;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("migration " + run + " not completed after " + timeout);
      }
      HttpTransport.sleep(POLL);
    }
  }
}
