package dev.truthline.cli.contracts;

import static dev.truthline.cli.CliRun.resource;
import static dev.truthline.cli.contracts.ContractRuns.breaks;
import static dev.truthline.cli.contracts.ContractRuns.commit;
import static dev.truthline.cli.contracts.ContractRuns.git;
import static dev.truthline.cli.contracts.ContractRuns.labelled;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.truthline.cli.CliRun;

class ContractsCommandTest {

    @TempDir
    Path dir;

    /**
     * One kind of Avro schema change from {@code order.avsc}, and what breaks in each direction
     * ("KIND at path", empty when compatible).
     */
    record Change(String file, String old, List<String> backward, List<String> forward) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<Change> avroChanges() {
        String missingDefault = "READER_FIELD_MISSING_DEFAULT_VALUE at ";
        return Stream.of(
                change("add-field-with-default", List.of(), List.of()),
                change("add-field-without-default", List.of(missingDefault + "Order.channel"), List.of()),
                change("remove-field-with-default", List.of(), List.of()),
                change("remove-field-without-default", List.of(), List.of(missingDefault + "Order.customer_id")),
                change("promote-int-to-long", List.of(), List.of("TYPE_MISMATCH at Order.quantity")),
                change("narrow-long-to-int", List.of("TYPE_MISMATCH at Order.order_id"), List.of()),
                change("enum-symbol-added", List.of(), List.of("MISSING_ENUM_SYMBOLS at Order.status symbols")),
                new Change("enum-symbol-added-to-enum-with-default", "order-enum-default", List.of(), List.of()),
                change("enum-symbol-removed", List.of("MISSING_ENUM_SYMBOLS at Order.status symbols"), List.of()),
                change("rename-field-with-alias", List.of(), List.of(missingDefault + "Order.customer_id")),
                change("rename-field-without-alias", List.of(missingDefault + "Order.customer"),
                        List.of(missingDefault + "Order.customer_id")),
                change("nested-type-change", List.of("TYPE_MISMATCH at Order.items[].qty"),
                        List.of("TYPE_MISMATCH at Order.items[].qty")),
                change("make-field-optional", List.of(),
                        List.of("TYPE_MISMATCH at Order.customer_id (union branch 0 of the writer)")),
                change("rename-record-with-alias", List.of(), List.of("NAME_MISMATCH at Order name")),
                change("rename-record-without-alias", List.of("NAME_MISMATCH at Purchase name"),
                        List.of("NAME_MISMATCH at Order name")),
                change("doc-only", List.of(), List.of()));
    }

    private static Change change(String file, List<String> backward, List<String> forward) {
        return new Change(file, "order", backward, forward);
    }

    // --- OLD NEW: every kind of change in each mode ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("avroChanges")
    void avroChangeJudgedInEachMode(Change change) {
        String old = avro(change.old());
        String changed = avro(change.file());

        CliRun backward = CliRun.of("contracts", "check", old, changed, "--compatibility", "BACKWARD");
        assertThat(breaks(backward)).as(backward.toString()).containsExactlyElementsOf(labelled("BACKWARD", change.backward()));
        assertThat(backward.exit()).isEqualTo(change.backward().isEmpty() ? 0 : 1);

        CliRun forward = CliRun.of("contracts", "check", old, changed, "--compatibility", "forward");
        assertThat(breaks(forward)).as(forward.toString()).containsExactlyElementsOf(labelled("FORWARD", change.forward()));
        assertThat(forward.exit()).isEqualTo(change.forward().isEmpty() ? 0 : 1);

        CliRun full = CliRun.of("contracts", "check", old, changed, "--compatibility", "FULL");
        List<String> both = new ArrayList<>(labelled("BACKWARD", change.backward()));
        both.addAll(labelled("FORWARD", change.forward()));
        assertThat(breaks(full)).as(full.toString()).containsExactlyElementsOf(both);
        assertThat(full.exit()).isEqualTo(both.isEmpty() ? 0 : 1);
        if (both.isEmpty()) {
            assertThat(full.out()).endsWith(": compatible (FULL)\n");
        }
    }

    @Test
    void aBreakingChangeIsPrintedWithItsPathLocationAndMeaning() {
        CliRun run = CliRun.of("contracts", "check", avro("order"), avro("add-field-without-default"));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEqualTo(avro("add-field-without-default") + " against " + avro("order")
                + ": 1 breaking change (BACKWARD)\n"
                + "  BACKWARD Order.channel: READER_FIELD_MISSING_DEFAULT_VALUE: the reader's field channel has no default "
                + "and the writer's data does not have it [/fields/6]\n");
    }

    @Test
    void anInvalidNewSchemaFailsTheCheck() {
        CliRun run = CliRun.of("contracts", "check", avro("order"), resource("/contracts/unknown-type.avsc").toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains(": invalid: the new schema is not a valid Avro schema: ").contains("lng");
    }

    @Test
    void filesOfDifferentOrUnknownFormatsAreNotJudged() throws IOException {
        Path json = Files.writeString(dir.resolve("order.json"), "{}");
        assertThat(CliRun.of("contracts", "check", avro("order"), json.toString()).exit()).isEqualTo(2);
        assertThat(CliRun.of("contracts", "check", avro("order"), resource("/contracts/odcs/orders.odcs.yaml").toString())
                .out()).contains("both must be contracts of one format");
        assertThat(CliRun.of("contracts", "check", avro("order"), dir.resolve("missing.avsc").toString()).exit()).isEqualTo(2);
    }

    @Test
    void usageErrorsExitTwo() {
        CliRun one = CliRun.of("contracts", "check", avro("order"));
        assertThat(one.exit()).isEqualTo(2);
        assertThat(one.err()).contains("give OLD and NEW, or --dir DIR --against REV");
        CliRun half = CliRun.of("contracts", "check", "--dir", dir.toString());
        assertThat(half.exit()).isEqualTo(2);
        assertThat(half.err()).contains("--dir and --against go together");
        assertThat(CliRun.of("contracts", "check", avro("order"), avro("order"), "--compatibility", "SIDEWAYS").exit())
                .isEqualTo(2);
    }

    // --- validate ---

    @Test
    void validateParsesAvroAndNamesTheProblem() {
        CliRun ok = CliRun.of("contracts", "validate", avro("order"), avro("order-enum-default"));
        assertThat(ok.exit()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains(avro("order") + ": valid Avro schema (record dev.truthline.orders.Order, 6 fields)\n");

        CliRun badDefault = CliRun.of("contracts", "validate", avro("order"), resource("/contracts/invalid-default.avsc").toString());
        assertThat(badDefault.exit()).isEqualTo(1);
        assertThat(badDefault.out()).contains("invalid-default.avsc: invalid: the schema is not a valid Avro schema: ")
                .contains("quantity");

        CliRun badType = CliRun.of("contracts", "validate", resource("/contracts/unknown-type.avsc").toString());
        assertThat(badType.exit()).isEqualTo(1);
        assertThat(badType.out()).contains("Undefined schema: lng");
    }

    @Test
    void validateRefusesWhatItCannotRead() throws IOException {
        Path txt = Files.writeString(dir.resolve("order.txt"), "x");
        CliRun unknown = CliRun.of("contracts", "validate", txt.toString());
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.out()).contains("order.txt: not a contract file (known: .avsc");
        assertThat(CliRun.of("contracts", "validate", dir.resolve("missing.avsc").toString()).exit()).isEqualTo(2);
    }

    // --- the CI form: a folder against a git revision ---

    @Test
    void folderAgainstARevisionReportsBreakingNewAndDeletedContracts() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Path contracts = repo.resolve("contracts");
        Files.createDirectories(contracts.resolve("nested"));
        git(repo, "init", "-q");
        Files.writeString(repo.resolve("README.md"), "not a contract\n");
        copy("order", contracts.resolve("orders.avsc"));
        copy("order", contracts.resolve("payments.avsc"));
        copy("order", contracts.resolve("legacy.avsc"));
        copy("order", contracts.resolve("nested/customers.avsc"));
        commit(repo, "v1");

        copy("add-field-without-default", contracts.resolve("orders.avsc"));  // breaks BACKWARD
        copy("promote-int-to-long", contracts.resolve("nested/customers.avsc"));  // fine BACKWARD
        Files.delete(contracts.resolve("legacy.avsc"));
        copy("order", contracts.resolve("refunds.avsc"));  // not committed: new
        Files.createDirectories(contracts.resolve(".hidden"));
        copy("order", contracts.resolve(".hidden/ignored.avsc"));

        CliRun run = CliRun.of("contracts", "check", "--dir", contracts.toString(), "--against", "HEAD");
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out().lines().filter(l -> !l.startsWith("  "))).containsExactly(
                "nested/customers.avsc: compatible (BACKWARD)",
                "orders.avsc: 1 breaking change (BACKWARD)",
                "payments.avsc: compatible (BACKWARD)",
                "refunds.avsc: new since HEAD",
                "legacy.avsc: deleted since HEAD: its consumers lose their contract",
                "5 contracts against HEAD (BACKWARD): 2 compatible, 1 breaking, 1 new, 1 deleted, 0 not judged");
        assertThat(breaks(run)).containsExactly("BACKWARD READER_FIELD_MISSING_DEFAULT_VALUE at Order.channel");

        // Committed, and judged FORWARD against the previous commit: now the promotion breaks, the added field does not.
        commit(repo, "v2");
        CliRun forward = CliRun.of("contracts", "check", "--dir", contracts.toString(), "--against", "HEAD~1",
                "--compatibility", "FORWARD");
        assertThat(forward.exit()).as(forward.toString()).isEqualTo(1);
        assertThat(forward.out()).contains("orders.avsc: compatible (FORWARD)")
                .contains("nested/customers.avsc: 1 breaking change (FORWARD)")
                .contains("  FORWARD  Order.quantity: TYPE_MISMATCH");
        assertThat(breaks(forward)).containsExactly("FORWARD TYPE_MISMATCH at Order.quantity");

        // Nothing changed since the last commit: compatible, exit 0.
        CliRun same = CliRun.of("contracts", "check", "--dir", contracts.toString(), "--against", "HEAD", "--compatibility", "FULL");
        assertThat(same.exit()).as(same.toString()).isZero();
        assertThat(same.out()).endsWith("4 contracts against HEAD (FULL): 4 compatible, 0 breaking, 0 new, 0 deleted, 0 not judged\n");
    }

    @Test
    void anUnknownRevisionIsNotJudged() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        git(repo, "init", "-q");
        copy("order", repo.resolve("orders.avsc"));
        commit(repo, "v1");
        CliRun run = CliRun.of("contracts", "check", "--dir", repo.toString(), "--against", "no-such-branch");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).contains("no commit no-such-branch in the repository of " + repo);
    }

    // --- helpers ---

    private static String avro(String name) {
        return resource("/contracts/avro/" + name + ".avsc").toString();
    }

    private static void copy(String avro, Path to) throws IOException {
        Files.copy(Path.of(avro(avro)), to, StandardCopyOption.REPLACE_EXISTING);
    }
}
