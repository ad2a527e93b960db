package dev.truthline.connect.benchmarks.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The source side's configurations: the reference source connector ({@code connector-configs/orders/orders-source.json},
 * read from the file itself) with all, part or none of its Truthline transforms. Every one keeps the reference's
 * converter (the schema in every message), producer settings, exactly-once transactions and {@code route} (the
 * topic's name), so what the others add over {@link #DEBEZIUM} is Truthline's alone.
 */
enum SourceChain {
    /** Debezium and the JSON converter, no Truthline transform: the baseline. */
    DEBEZIUM("debezium", "Debezium + JSON converter (schemas), route only", List.of("route")),
    /** The source-side contract: ValidateContract with the reference shape rules (on.failure=quarantine). */
    CONTRACT("contract", "+ ValidateContract (12 reference shape rules)", List.of("route", "contract")),
    /** The reference source as it is: the contract and ProtectFields' AES-SIV tokens of the customer id and e-mail. */
    REFERENCE("reference", "+ ValidateContract + ProtectFields (the reference source)", List.of("route", "contract",
            "protect"));

    /** Where the build puts the reference source connector. */
    static final String SOURCE_RESOURCE = "/reference/orders-source.json";

    private final String id;
    private final String description;
    private final List<String> transforms;

    SourceChain(String id, String description, List<String> transforms) {
        this.id = id;
        this.description = description;
        this.transforms = transforms;
    }

    String id() {
        return id;
    }

    String description() {
        return description;
    }

    static SourceChain of(String id) {
        return Option.of(SourceChain.class, SourceChain::id, "configuration", id);
    }

    /**
     * The connector config of one pass: the reference source with this configuration's transforms, reading the slot
     * {@code slot} (made before the changes were written, so the pass streams all of them from the WAL: no snapshot)
     * and writing {@code topic}. Heartbeats are off, so every record the task polls is a change of the table.
     * {@code ${env:…}} references stay: the worker resolves them from its environment, as in production.
     */
    Map<String, String> settings(String slot, String publication, String topic) {
        Map<String, String> reference = reference();
        Map<String, String> c = new LinkedHashMap<>();
        reference.forEach((k, v) -> {
            if (!k.startsWith("transforms") && !k.startsWith("predicates")) {
                c.put(k, v);
            }
        });
        c.put("slot.name", slot);
        c.put("publication.name", publication);
        c.put("publication.autocreate.mode", "disabled");
        c.put("snapshot.mode", "no_data");
        c.put("slot.drop.on.stop", "true");
        c.put("heartbeat.interval.ms", "0");
        c.remove("heartbeat.action.query");
        c.put("topic.prefix", slot);
        // The predicates name the reference topic: they follow the route to this pass's topic.
        reference.forEach((k, v) -> {
            if (k.startsWith("predicates")) {
                c.put(k, v.replace("orders\\.events\\.v1", topic.replace(".", "\\.")));
            }
        });
        c.put("transforms", String.join(",", transforms));
        for (String alias : transforms) {
            reference.forEach((k, v) -> {
                if (k.startsWith("transforms." + alias + ".")) {
                    c.put(k, v);
                }
            });
        }
        c.put("transforms.route.regex", slot + "\\.public\\.orders");
        c.put("transforms.route.replacement", topic);
        return c;
    }

    /** Every key of {@code orders-source.json}'s config. */
    static Map<String, String> reference() {
        return Chain.reference(SOURCE_RESOURCE);
    }
}
