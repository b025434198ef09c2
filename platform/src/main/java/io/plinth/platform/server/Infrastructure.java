package io.plinth.platform.server;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.MeterRegistry;
import io.plinth.platform.config.PlinthConfig;
import io.plinth.platform.db.Databases;
import io.plinth.platform.directory.NodeDirectory;
import io.vertx.core.Vertx;

/** What every service gets from the node it runs in, ready to use. */
public record Infrastructure(
    String serviceName,
    PlinthConfig config,
    Vertx vertx,
    Databases databases,
    HazelcastInstance cluster,
    MeterRegistry meters,
    EventLoopLag eventLoopLag,
    NodeDirectory directory) {}
