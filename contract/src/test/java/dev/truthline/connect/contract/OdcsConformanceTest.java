package dev.truthline.connect.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What is ODCS v3 and what is not, as the standard's published JSON Schemas (bitol-io/open-data-contract-standard,
 * {@code schema/odcs-json-schema-v3.0.2.json}, {@code -v3.1.0.json}, and {@code -v3.2.0.json} on its dev-v3.2.0
 * branch) say.
 */
class OdcsConformanceTest {

    private static final String HEAD = "apiVersion: v3.1.0\nkind: DataContract\nid: c\nversion: 1.0.0\nstatus: active\n";

    static Stream<Path> examples() throws IOException, URISyntaxException {
        Path dir = Paths.get(OdcsConformanceTest.class.getResource("/odcs-examples").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".odcs.yaml")).sorted().toList().stream();
        }
    }

    @Test
    void theStandardsExamplesAreAllThere() throws Exception {
        assertThat(examples()).hasSize(18);
    }

    /** Every example of the standard's docs/examples is ODCS: none is refused as not following the standard. */
    @ParameterizedTest
    @MethodSource("examples")
    void everyExampleOfTheStandardIsOdcs(Path example) throws IOException {
        String text = Files.readString(example, StandardCharsets.UTF_8);
        InvalidContractException refused = catchThrowableOfType(InvalidContractException.class,
                () -> OdcsParser.parse(text));
        if (refused != null) {
            assertThat(refused.notOdcs()).as("%s: %s", example.getFileName(), refused.problems()).isFalse();
        }
    }

    /** Required: version, apiVersion, kind, id, status (the root's "required" in every v3 schema); nothing else. */
    @Test
    void onlyTheFiveRequiredKeysAreRequired() {
        OdcsDocument document = OdcsParser.parse(HEAD);
        assertThat(document.contract().schema()).isNull();
        assertThat(document.contract().id()).isEqualTo("c");
        assertThat(document.tree().path("status").asText()).isEqualTo("active");

        InvalidContractException e = catchThrowableOfType(InvalidContractException.class,
                () -> OdcsParser.parse("apiVersion: v3.1.0\nkind: DataContract\nid: c\nversion: 1.0.0\n"));
        assertThat(e.notOdcs()).isTrue();
        assertThat(e.problems()).containsExactly("status: is required");
    }

    /** The properties of a schema object take no keys the standard does not define (unevaluatedProperties: false). */
    @Test
    void anUnknownPropertyKeyIsReportedByNameWithoutItsValue() {
        InvalidContractException e = catchThrowableOfType(InvalidContractException.class, () -> OdcsParser.parse(HEAD
                + "schema:\n  - name: orders\n    properties:\n      - name: id\n        requird: s3cr3t-value\n"));
        assertThat(e.notOdcs()).isTrue();
        assertThat(e.problems()).containsExactly("schema[0].properties[0].requird: is not a key of this ODCS element");
        assertThat(e.getMessage()).doesNotContain("s3cr3t");
    }

    /** enum came with v3.2.0 (SchemaBaseProperty.enum in odcs-json-schema-v3.2.0.json); v3.1.0 has no such key. */
    @Test
    void enumIsAKeyOfV320Only() {
        String property = "schema:\n  - name: orders\n    properties:\n      - name: status\n        logicalType: string\n"
                + "        enum: [{value: NEW}]\n";
        InvalidContractException e = catchThrowableOfType(InvalidContractException.class,
                () -> OdcsParser.parse(HEAD + property));
        assertThat(e.notOdcs()).isTrue();
        assertThat(e.problems()).containsExactly(
                "schema[0].properties[0].enum: is a key of ODCS v3.2.0, and this document follows v3.1.0");

        OdcsDocument v32 = OdcsParser.parse(HEAD.replace("v3.1.0", "v3.2.0") + property);
        assertThat(v32.contract().schema().get(0).properties().get(0).enumValues()).hasSize(1);
    }

    /**
     * v3.1.0 names library metrics with metric, from a closed list; v3.0.x named them with rule (and its own examples
     * use metric too, which is read).
     */
    @Test
    void libraryRulesAreNamedAsTheirVersionNamesThem() {
        String v30 = "schema:\n  - name: orders\n    properties:\n      - name: s\n        quality:\n"
                + "          - rule: validValues\n            validValues: [A]\n";
        OdcsParser.parse(HEAD.replace("v3.1.0", "v3.0.2") + v30);
        assertThat(catchThrowableOfType(InvalidContractException.class, () -> OdcsParser.parse(HEAD + v30)).problems())
                .containsExactly("schema[0].properties[0].quality[0].metric: is required (a library rule of ODCS v3.1.0 "
                                + "names its metric; rule is the v3.0 key)",
                        "schema[0].properties[0].quality[0].validValues: is not a key of this ODCS element (since "
                                + "v3.1.0 it goes in arguments)");
    }

    @Test
    void structuralProblemsAreEachReportedByPath() {
        InvalidContractException e = catchThrowableOfType(InvalidContractException.class, () -> OdcsParser.parse(
                "apiVersion: v2.2.0\nkind: Contract\nid: c\nversion: 1\nstatus: active\nschema: {name: x}\n"));
        assertThat(e.notOdcs()).isTrue();
        assertThat(e.problems()).hasSize(4);
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("apiVersion: must be one of"))
                .anySatisfy(p -> assertThat(p).isEqualTo("kind: must be DataContract"))
                .anySatisfy(p -> assertThat(p).isEqualTo("schema: has the wrong type: must be array"))
                // version is a string in every v3 schema: "version: 1" is a YAML integer.
                .anySatisfy(p -> assertThat(p).isEqualTo("version: has the wrong type: must be string"));
    }

    @Test
    void aContractWithoutSchemaObjectsHasNothingToCompile() {
        OdcsDocument document = OdcsParser.parse(HEAD);
        assertThatThrownBy(() -> OdcsCompiler.compile(document.contract(), null))
                .isInstanceOf(InvalidContractException.class)
                .hasMessage("the contract has no schema objects, so nothing to check record by record");
        assertThat(List.of(document.contract().schemaNames())).containsExactly(List.of());
    }
}
