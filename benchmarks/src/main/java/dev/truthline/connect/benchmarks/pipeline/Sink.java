package dev.truthline.connect.benchmarks.pipeline;

import java.util.List;

/**
 * Where the measured connector writes: nowhere (the harness's {@link dev.truthline.connect.harness.DiscardingSinkConnector},
 * the default: the chain's cost in front of a sink that costs nothing), or the real Apache Iceberg sink (the plugin
 * folder {@code iceberg-plugin} builds) writing each configuration into its own table of a JDBC catalog on an
 * embedded PostgreSQL ({@link IcebergCatalog}), as the reference silver connector does.
 */
public enum Sink {
    DISCARD("discard"),
    ICEBERG("iceberg");

    private final String id;

    Sink(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    static Sink of(String id) {
        return Option.of(Sink.class, Sink::id, "sink", id);
    }

    /** The wire formats this sink can write: an Iceberg table needs Structs, so not schemaless JSON. */
    List<WireFormat> formats() {
        return this == DISCARD ? List.of(WireFormat.values())
                : List.of(WireFormat.values()).stream().filter(WireFormat::structs).toList();
    }

    /**
     * The configurations this sink runs: the Iceberg sink cannot write bytes, and Debezium's Groovy {@code Filter}
     * looks its JSR 223 engine up on the connector's class loader, which is the Iceberg plugin's (no Groovy there).
     */
    List<Chain> chains() {
        return this == DISCARD ? List.of(Chain.values()) : List.of(Chain.CONVERTER, Chain.CONTRACT, Chain.CHAIN);
    }

    /** Fails with what to do instead when this sink cannot run {@code formats} or {@code chains}. */
    void check(List<WireFormat> formats, List<Chain> chains) {
        for (WireFormat f : formats) {
            if (!formats().contains(f)) {
                throw new IllegalArgumentException("--sink " + id + " cannot write --formats " + f.id()
                        + ": the Iceberg sink needs records with a schema (Structs) and schemaless JSON gives Maps; use "
                        + String.join(",", formats().stream().map(WireFormat::id).toList()));
            }
        }
        for (Chain c : chains) {
            if (!chains().contains(c)) {
                throw new IllegalArgumentException("--sink " + id + " cannot run --configs " + c.id() + " (it runs "
                        + String.join(",", chains().stream().map(Chain::id).toList()) + ")");
            }
        }
    }
}
