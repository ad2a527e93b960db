package dev.truthline.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
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

    static final String INSERT = "INSERT INTO orders (order_id, customer_id, status, currency, country, amount, quantity, "
            + "sku, email) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String UPDATE = "UPDATE orders SET customer_id = ?, status = ?, currency = ?, country = ?, amount = ?, "
            + "quantity = ?, sku = ?, email = ?, updated_at = now() WHERE order_id = ?";
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
                        setCustomer(insert, 2, o);
                        insert.setString(3, o.status());
                        insert.setString(4, o.currency());
                        insert.setString(5, o.country());
                        insert.setBigDecimal(6, o.amount());
                        insert.setInt(7, o.quantity());
                        insert.setString(8, o.sku());
                        insert.setString(9, o.email());
                        insert.executeUpdate();
                    }
                    case UPDATE -> {
                        setCustomer(update, 1, o);
                        update.setString(2, o.status());
                        update.setString(3, o.currency());
                        update.setString(4, o.country());
                        update.setBigDecimal(5, o.amount());
                        update.setInt(6, o.quantity());
                        update.setString(7, o.sku());
                        update.setString(8, o.email());
                        update.setLong(9, o.orderId());
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

    private static void setCustomer(PreparedStatement s, int index, Order o) throws SQLException {
        if (o.customerId() == null) {
            s.setNull(index, Types.BIGINT);
        } else {
            s.setLong(index, o.customerId());
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
