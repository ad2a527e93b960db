package dev.truthline.audit;

import java.nio.file.Path;
import java.sql.SQLException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A test's own audit database (64MB, spilling to a temporary folder), opened before and closed after each test. */
abstract class WithAuditDatabase {

    @TempDir
    Path spill;

    AuditDatabase db;

    @BeforeEach
    void openDatabase() throws SQLException {
        db = AuditDatabase.open("64MB", spill);
    }

    @AfterEach
    void closeDatabase() throws SQLException {
        db.close();
    }
}
