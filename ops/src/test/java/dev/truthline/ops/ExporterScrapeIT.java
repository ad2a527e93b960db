package dev.truthline.ops;

import static org.apache.kafka.test.TestUtils.waitForCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ExporterScrapeIT {

    private static ObservedConnect connect;
    private static final OrdersWorkload workload = new OrdersWorkload();

    @BeforeAll
    static void start() throws Exception {
        connect = ObservedConnect.start("scrape", Map.of());
        connect.kafka().createTopic(OrdersWorkload.TOPIC, 1);
        connect.kafka().createTopic(OrdersWorkload.DLQ, 1);
        connect.putConnector(OrdersWorkload.CONNECTOR, OrdersWorkload.connectorConfig());
        connect.awaitRunning(OrdersWorkload.CONNECTOR, 1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (connect != null) {
            connect.close();
        }
    }

    @Test
    void dump() throws Exception {
        connect.send(OrdersWorkload.TOPIC, workload.valid(20));
        connect.send(OrdersWorkload.TOPIC, workload.invalid(5));
        waitForCondition(() -> !connect.scrape().find("truthline_records_valid_total", Map.of()).isEmpty()
                && connect.scrape().find("truthline_records_valid_total", Map.of()).get(0).value() >= 20, 60_000,
                () -> "no valid records");
        PrometheusText text = connect.scrape();
        text.samples().stream().filter(s -> !s.name().startsWith("jvm") && !s.name().startsWith("process"))
                .forEach(s -> System.out.println("SAMPLE " + s));
        assertThat(text.samples()).isNotEmpty();
    }
}
