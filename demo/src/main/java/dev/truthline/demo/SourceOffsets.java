package dev.truthline.demo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.truthline.connect.harness.ConnectRest;

/**
 * The Debezium source's committed offsets over time, read through {@code GET /connectors/{name}/offsets}
 * (KIP-875): the points a rewind can set the source back to — each one an offset the source really
 * committed, as a crash that lost the later commits would leave it.
 */
final class SourceOffsets {

    /** One committed offset: its LSN, when it was seen, and the body that sets it back. */
    record Committed(long lsn, Instant at, ObjectNode body) {
    }

    private final ConnectRest rest;
    private final String connector;
    private final List<Committed> history = new ArrayList<>();
    private long lastPollNanos;

    SourceOffsets(ConnectRest rest, String connector) {
        this.rest = rest;
        this.connector = connector;
    }

    /** Reads the committed offsets, at most once a second. */
    void poll() {
        if (System.nanoTime() - lastPollNanos < 1_000_000_000L) {
            return;
        }
        lastPollNanos = System.nanoTime();
        try {
            ConnectRest.Response response = rest.call("GET", "connectors/" + ConnectRest.segment(connector) + "/offsets", null);
            if (!response.ok()) {
                return;
            }
            JsonNode offsets = response.json().path("offsets");
            if (offsets.size() != 1) {
                return;
            }
            long lsn = offsets.get(0).path("offset").path("lsn").asLong(-1);
            if (lsn >= 0 && (history.isEmpty() || history.get(history.size() - 1).lsn() != lsn)) {
                ObjectNode body = ConnectRest.JSON.createObjectNode();
                body.set("offsets", offsets.deepCopy());
                history.add(new Committed(lsn, Instant.now(), body));
            }
        } catch (Exception e) {
            // a worker restarting: the next poll gets it
        }
    }

    /** Whether the latest committed offset seen has no captured change after it. */
    boolean covers(java.util.function.LongUnaryOperator capturedAfter) {
        return !history.isEmpty() && capturedAfter.applyAsLong(history.get(history.size() - 1).lsn()) == 0;
    }

    /** The latest committed offset after which at least {@code events} captured changes lie. */
    Optional<Committed> before(long events, java.util.function.LongUnaryOperator capturedAfter) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (capturedAfter.applyAsLong(history.get(i).lsn()) >= events) {
                return Optional.of(history.get(i));
            }
        }
        return Optional.empty();
    }
}
