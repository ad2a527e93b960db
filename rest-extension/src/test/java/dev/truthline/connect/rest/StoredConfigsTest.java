package dev.truthline.connect.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.NotFoundException;
import org.apache.kafka.connect.runtime.distributed.RebalanceNeededException;
import org.junit.jupiter.api.Test;

/**
 * Reading the stored configuration a PATCH is checked against. The failures are built as Connect's
 * ConnectClusterStateImpl.connectorConfig builds them: the herder's error inside an ExecutionException
 * inside a ConnectException.
 */
class StoredConfigsTest {

    private static final Map<String, String> STORED = Map.of("connector.class", "org.example.Sink");

    private final List<Long> pauses = new ArrayList<>();
    private long now;

    private StoredConfigs storedConfigs(Function<String, Map<String, String>> lookup) {
        return new StoredConfigs(lookup, Duration.ofSeconds(15), () -> now, millis -> {
            pauses.add(millis);
            now += Duration.ofMillis(millis).toNanos();
        });
    }

    /** The failure ConnectClusterState.connectorConfig throws when the herder answers with {@code herderError}. */
    static ConnectException clusterStateFailure(Throwable herderError) {
        return new ConnectException("Failed to retrieve configuration for connector 'good'",
                new ExecutionException(herderError));
    }

    /** The herder's answer while a rebalance is expected. */
    static RebalanceNeededException rebalance() {
        return new RebalanceNeededException("Request cannot be completed because a rebalance is expected");
    }

    @Test
    void aStoredConfigurationIsFoundAtOnce() {
        StoredConfigs.Read read = storedConfigs(name -> STORED).read("good");

        assertThat(read).isEqualTo(new StoredConfigs.Found(STORED));
        assertThat(pauses).isEmpty();
    }

    @Test
    void aConnectorConnectDoesNotKnowIsAbsentWithoutRetrying() {
        AtomicInteger calls = new AtomicInteger();
        StoredConfigs.Read read = storedConfigs(name -> {
            calls.incrementAndGet();
            throw clusterStateFailure(new NotFoundException("Connector " + name + " not found"));
        }).read("missing");

        assertThat(read).isEqualTo(new StoredConfigs.Absent());
        assertThat(calls).hasValue(1);
        assertThat(pauses).isEmpty();
    }

    /** The failure that let a breaking patch through: the herder's answer while tasks are being reassigned. */
    @Test
    void aRebalanceIsWaitedOut() {
        AtomicInteger calls = new AtomicInteger();
        StoredConfigs.Read read = storedConfigs(name -> {
            if (calls.incrementAndGet() <= 3) {
                throw clusterStateFailure(rebalance());
            }
            return STORED;
        }).read("good");

        assertThat(read).isEqualTo(new StoredConfigs.Found(STORED));
        assertThat(calls).hasValue(4);
        assertThat(pauses).containsExactly(50L, 100L, 200L);
    }

    @Test
    void aWorkerThatNeverAnswersIsUnavailableAfterThePatienceWithTheHerdersReason() {
        AtomicInteger calls = new AtomicInteger();
        StoredConfigs.Read read = storedConfigs(name -> {
            calls.incrementAndGet();
            throw clusterStateFailure(rebalance());
        }).read("good");

        assertThat(read).isEqualTo(new StoredConfigs.Unavailable(
                "Request cannot be completed because a rebalance is expected"));
        // 50, 100, ... doubling up to a second a pause, the last one cut to what is left of the 15 s.
        assertThat(pauses).startsWith(50L, 100L, 200L, 400L, 800L, 1_000L, 1_000L);
        assertThat(pauses.stream().mapToLong(Long::longValue).sum()).isEqualTo(15_000L);
        assertThat(calls).hasValue(pauses.size() + 1);
    }

    @Test
    void aReadThatTimesOutIsUnavailableOnceThePatienceIsSpent() {
        // ConnectClusterStateImpl itself waits the herder's request timeout before it throws.
        StoredConfigs.Read read = storedConfigs(name -> {
            now += Duration.ofSeconds(90).toNanos();
            throw clusterStateFailure(new TimeoutException());
        }).read("good");

        assertThat(read).isEqualTo(new StoredConfigs.Unavailable("TimeoutException"));
        assertThat(pauses).isEmpty();
    }

    @Test
    void anInterruptedWaitGivesUpAndKeepsTheInterrupt() {
        StoredConfigs storedConfigs = new StoredConfigs(name -> {
            throw clusterStateFailure(rebalance());
        }, Duration.ofSeconds(15), () -> now, millis -> {
            throw new InterruptedException();
        });
        try {
            assertThat(storedConfigs.read("good")).isInstanceOf(StoredConfigs.Unavailable.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
