package dev.truthline.cli.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.truthline.cli.CliRun;

/** The three answers of {@code contracts validate} for an ODCS file, and their exit codes. */
class ValidateAnswersTest {

    private static final String HEAD = "apiVersion: v3.1.0\nkind: DataContract\nid: orders\nversion: 1.0.0\n"
            + "status: active\n";

    @TempDir
    Path dir;

    private String write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text).toString();
    }

    @Test
    void notOdcs() throws IOException {
        String file = write("a.odcs.yaml", HEAD.replace("status: active\n", "")
                + "schema:\n  - name: orders\n    properties:\n      - {name: id, requird: true}\n");
        CliRun run = CliRun.of("contracts", "validate", file);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEqualTo(file + ": invalid: the contract is not ODCS v3 (2 problems):\n"
                + "    schema[0].properties[0].requird: is not a key of this ODCS element\n"
                + "    status: is required\n");
    }

    /** Only version, apiVersion, kind, id and status are required by the standard: no schema is still ODCS. */
    @Test
    void odcsWithNothingToEnforceInStream() throws IOException {
        String bare = write("bare.odcs.yaml", HEAD + "description: {purpose: Orders.}\n");
        String manyRecords = write("rows.odcs.yaml", HEAD + "schema:\n  - name: orders\n    quality:\n"
                + "      - {metric: rowCount, mustBeGreaterThan: 0}\n");
        CliRun run = CliRun.of("contracts", "validate", bare, manyRecords);
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo(
                bare + ": valid ODCS v3 data contract with nothing to enforce in-stream (orders@1.0.0: no schema "
                        + "objects)\n"
                        + manyRecords + ": valid ODCS v3 data contract with nothing to enforce in-stream (orders@1.0.0: "
                        + "only checks that need many records)\n"
                        + "    not checked record by record (a worker needs contract.unsupported=skip):\n"
                        + "    rowCount on orders (schema[0].quality[0]): counts all the records\n");
    }

    @Test
    void odcsWhoseRulesRunInStream() throws IOException {
        String file = write("keys.odcs.yaml", HEAD + "schema:\n  - name: orders\n    properties:\n"
                + "      - {name: id, logicalType: integer, primaryKey: true}\n");
        CliRun run = CliRun.of("contracts", "validate", file);
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo(file + ": valid ODCS v3 data contract (orders@1.0.0, schema object orders "
                + "(2 rules))\n"
                + "    not checked record by record (a worker needs contract.unsupported=skip):\n"
                + "    primaryKey on id (schema[0].properties[0].primaryKey): a key is unique, and uniqueness compares "
                + "records with each other\n");
    }
}
