package dev.truthline.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.truthline.demo.Workload.Change;
import dev.truthline.demo.Workload.Order;

/**
 * Writes a planned workload to the orders table through JDBC, in small transactions, at a target rate.
 * Every committed change is a change event for Debezium; {@link #written()} counts commits, for
 * progress and for when to inject faults — never for the report.
 */
final class WorkloadWriter {

    /** The reference table, connector-configs/orders/orders.sql. */
    static final String INSERT = "INSERT INTO orders (order_id, customer_id, email, amount, currency, status) "
            + "VALUES (?, ?, ?, ?, ?, ?)";
    static final String UPDATE = "UPDATE orders SET customer_id = ?, email = ?, amount = ?, currency = ?, status = ?, "
            + "updated_at = now() WHERE order_id = ?";
    static final String DELETE = "DELETE FROM orders WHERE order_id = ?";

    private final AtomicLong written = new AtomicLong();
    private volatile long startedNanos;
    private volatile long finishedNanos;

    long written() {
        return written.get();
    }

    double seconds() {
        long end = finishedNanos == 0 ? System.nanoTime() : finishedNanos;
        return startedNanos == 0 ? 0 : (end - startedNanos) / 1e9;
    }

    /**
     * Writes every change; {@code rate} changes per second (0: as fast as the database takes them), in
     * transactions of {@code batch} changes.
     */
    void write(Connection c, List<Change> plan, int rate, int batch) throws SQLException, InterruptedException {
        c.setAutoCommit(false);
        startedNanos = System.nanoTime();
        try (PreparedStatement insert = c.prepareStatement(INSERT);
                PreparedStatement update = c.prepareStatement(UPDATE);
                PreparedStatement delete = c.prepareStatement(DELETE)) {
            int inTransaction = 0;
            for (Change change : plan) {
                Order o = change.row();
                switch (change.kind()) {
                    case INSERT -> {
                        insert.setLong(1, o.orderId());
                        insert.setString(2, o.customerId());
                        insert.setString(3, o.email());
                        insert.setBigDecimal(4, o.amount());
                        insert.setString(5, o.currency());
                        insert.setString(6, o.status());
                        insert.executeUpdate();
                    }
                    case UPDATE -> {
                        update.setString(1, o.customerId());
                        update.setString(2, o.email());
                        update.setBigDecimal(3, o.amount());
                        update.setString(4, o.currency());
                        update.setString(5, o.status());
                        update.setLong(6, o.orderId());
                        update.executeUpdate();
                    }
                    case DELETE -> {
                        delete.setLong(1, o.orderId());
                        delete.executeUpdate();
                    }
                }
                if (++inTransaction == batch) {
                    c.commit();
                    written.addAndGet(inTransaction);
                    inTransaction = 0;
                    pace(rate);
                }
            }
            c.commit();
            written.addAndGet(inTransaction);
        } finally {
            finishedNanos = System.nanoTime();
        }
    }

    private void pace(int rate) throws InterruptedException {
        if (rate <= 0) {
            return;
        }
        long due = startedNanos + (long) (written.get() * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
