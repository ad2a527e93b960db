package dev.truthline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.truthline.cli.contracts.ContractFormats;
import dev.truthline.connect.validation.ValidateContract;

/**
 * The project's own configuration, checked in every build as CI would check a user's: every contract
 * under {@code connector-configs/} passes {@code truthline contracts validate}, and every connector JSON
 * under {@code connector-configs/} and {@code packaging/config/} passes {@code truthline lint --profile
 * production} without an error (files without connector.class, such as topic specs, are skipped by lint).
 */
class ProjectConfigsTest {

    /** Files that exist today: the checks must find at least these, so they can never pass on nothing. */
    private static final List<String> KNOWN_CONTRACTS = List.of("connector-configs/contracts/orders.odcs.yaml");
    private static final List<String> KNOWN_CONNECTORS = List.of("packaging/config/orders-capture-source-quarantine.json",
            "packaging/config/orders-warehouse-sink.json");

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path root;

    @BeforeAll
    static void findRepositoryRoot() {
        root = repositoryRoot(Path.of("").toAbsolutePath());
    }

    @Test
    void everyContractIsValid() {
        List<Path> contracts = files(root.resolve("connector-configs"), p -> ContractFormats.forFile(p.getFileName().toString()) != null);
        assertThat(relative(contracts)).containsAll(KNOWN_CONTRACTS);

        CliRun run = CliRun.of(args(List.of("contracts", "validate"), contracts));
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out().lines().filter(l -> l.contains(": valid "))).hasSize(contracts.size());
    }

    @Test
    void everyConnectorPassesProductionLint() throws IOException {
        List<Path> configs = new ArrayList<>(files(root.resolve("connector-configs"), ProjectConfigsTest::isJson));
        configs.addAll(files(root.resolve("packaging/config"), ProjectConfigsTest::isJson));
        assertThat(relative(configs)).containsAll(KNOWN_CONNECTORS);

        // Folders, as CI would pass them: lint reads every JSON file in each, skipping those that are not
        // connectors (topic specs, overlays) and listing them.
        List<Path> folders = configs.stream().map(Path::getParent).distinct().sorted().toList();
        CliRun run = CliRun.of(args(List.of("lint", "--profile", "production", "--format", "json"), folders));
        JsonNode report = JSON.readTree(run.out());
        List<String> errors = new ArrayList<>();
        report.get("findings").forEach(f -> {
            if (f.get("severity").asText().equals("error")) {
                errors.add(f.get("file").asText() + ": " + f.get("rule").asText() + " " + f.get("key").asText() + ": "
                        + f.get("message").asText());
            }
        });
        assertThat(errors).as(run.toString()).isEmpty();
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(report.get("connectors").size()).as("connectors linted").isGreaterThanOrEqualTo(KNOWN_CONNECTORS.size());
        assertThat(report.get("connectors").size() + report.get("skipped").size()).isEqualTo(configs.size());
    }

    /** The orders contract gives the verdicts the reference pipeline expects on change-event rows. */
    @Test
    void theOrdersContractJudgesOrderRows() {
        Schema amount = Decimal.builder(2).optional().build();
        Schema timestamp = SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").optional().build();
        Schema row = SchemaBuilder.struct().name("orders.public.orders.Value")
                .field("order_id", Schema.INT64_SCHEMA)
                .field("customer_id", Schema.OPTIONAL_STRING_SCHEMA)
                .field("amount", amount)
                .field("currency", Schema.OPTIONAL_STRING_SCHEMA)
                .field("status", Schema.OPTIONAL_STRING_SCHEMA)
                .field("updated_at", timestamp)
                .build();
        try (ValidateContract.Value<SinkRecord> smt = new ValidateContract.Value<>()) {
            // Its primaryKey's uniqueness is not checked record by record: skipped.
            smt.configure(Map.of("contract.file", root.resolve(KNOWN_CONTRACTS.get(0)).toString(), "envelope", "none",
                    "on.failure", "tag", "contract.unsupported", "skip"));
            Struct valid = new Struct(row).put("order_id", 1L).put("customer_id", "c-1").put("amount", new BigDecimal("12.50"))
                    .put("currency", "EUR").put("status", "PAID").put("updated_at", 1_700_000_000_000_000L);
            assertThat(verdict(smt, valid)).isEqualTo("valid");
            assertThat(verdict(smt, copy(valid).put("customer_id", null))).isEqualTo("invalid: customer_id:required");
            assertThat(verdict(smt, copy(valid).put("amount", new BigDecimal("2000000.00")))).isEqualTo("invalid: amount:range");
            assertThat(verdict(smt, copy(valid).put("currency", "XXX"))).isEqualTo("invalid: currency:invalidValues");
            assertThat(verdict(smt, copy(valid).put("status", "LOST"))).isEqualTo("invalid: status:invalidValues");
            assertThat(verdict(smt, copy(valid).put("amount", new BigDecimal("0.00"))))
                    .isEqualTo("invalid: orders:paid_has_amount");
            assertThat(verdict(smt, copy(valid).put("status", "NEW").put("amount", new BigDecimal("0.00")))).isEqualTo("valid");
        }
    }

    // --- helpers ---

    /**
     * The repository root: the nearest folder, from the test's working folder up, with the parent POM and
     * the cli module in it (Surefire runs a module's tests in the module's folder).
     */
    static Path repositoryRoot(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            try {
                if (Files.isRegularFile(pom) && Files.isRegularFile(dir.resolve("cli/pom.xml"))
                        && Files.readString(pom).contains("<artifactId>truthline-parent</artifactId>")) {
                    return dir;
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + pom, e);
            }
        }
        throw new IllegalStateException("no Truthline repository root at or above " + start);
    }

    /** Regular files under a folder (none when it does not exist), hidden ones and build output left out, sorted. */
    private static List<Path> files(Path dir, Predicate<Path> wanted) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> Stream.of(root.relativize(p).toString().split("[/\\\\]"))
                            .noneMatch(part -> part.startsWith(".") || part.equals("target")))
                    .filter(wanted)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + dir, e);
        }
    }

    private static boolean isJson(Path file) {
        return file.getFileName().toString().endsWith(".json");
    }

    private static List<String> relative(List<Path> files) {
        return files.stream().map(f -> root.relativize(f).toString().replace('\\', '/')).toList();
    }

    private static String[] args(List<String> command, List<Path> files) {
        List<String> args = new ArrayList<>(command);
        files.forEach(f -> args.add(f.toString()));
        return args.toArray(new String[0]);
    }

    private static Struct copy(Struct struct) {
        Struct copy = new Struct(struct.schema());
        struct.schema().fields().forEach(f -> copy.put(f, struct.get(f)));
        return copy;
    }

    /** {@code valid}, or {@code invalid: <failed rules>}, from the headers the contract's verdict wrote. */
    private static String verdict(ValidateContract.Value<SinkRecord> smt, Struct value) {
        SinkRecord record = smt.apply(new SinkRecord("orders.events.v1", 0, null, null, value.schema(), value, 0));
        String status = header(record, "dq.status");
        return status.equals("valid") ? status : status + ": " + header(record, "dq.rules");
    }

    private static String header(SinkRecord record, String name) {
        Header header = record.headers().lastWithName(name);
        return header == null ? null : String.valueOf(header.value());
    }
}
