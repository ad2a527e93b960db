package dev.truthline.connect.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.truthline.connect.privacy.ProtectFields;
import dev.truthline.connect.privacy.RevealFields;
import dev.truthline.connect.validation.ValidateContract;

class ConfigDocsTest {

    // ---- Plugin classes following (or breaking) the conventions ---------------------------------------------

    public static final class Documented {
        public static final String OVERVIEW_DOC = "Does a thing to each record.";
        public static final ConfigDef CONFIG_DEF = new ConfigDef()
                .define("topic", Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, "Where records go.")
                .define("batch.size", Type.INT, 100, ConfigDef.Range.between(1, 1000), Importance.MEDIUM,
                        "How many records per batch.")
                .define("mode", Type.STRING, "fast", ConfigDef.ValidString.in("fast", "safe"), Importance.LOW,
                        "fast or safe.")
                .define("names", Type.LIST, List.of(), Importance.LOW, "Names, comma-separated.")
                .define("label", Type.STRING, null, Importance.LOW, "An optional label.")
                .define("secret", Type.PASSWORD, "hunter2", Importance.LOW, "Never shown.")
                .defineInternal("internal.knob", Type.BOOLEAN, false, Importance.LOW);
        public static final ConfigDef ITEM_CONFIG_DEF = new ConfigDef()
                .define("kind", Type.STRING, Importance.HIGH, "The item's kind.");
        public static final ConfigDef SINK_TOPIC_CONFIG_DEF = new ConfigDef()
                .define("name", Type.STRING, "x", Importance.LOW, "The topic name.");
        public static final String SINK_TOPIC_KEY_PREFIX = "sink.<topic>.";
        /** Not a ConfigDef: ignored. */
        public static final String NOT_A_CONFIG_DEF = "x";
    }

    public static final class Undocumented {
        public static final ConfigDef CONFIG_DEF = new ConfigDef()
                .define("fine", Type.STRING, "a", Importance.HIGH, "Documented.")
                .define("no.doc", Type.STRING, "a", Importance.HIGH, null)
                .define("blank.doc", Type.INT, 1, Importance.LOW, "  \n ");
        public static final ConfigDef RULE_CONFIG_DEF = new ConfigDef()
                .define("type", Type.STRING, Importance.HIGH, "");
    }

    public static final class Escaping {
        public static final String OVERVIEW_DOC = "# not a heading\nUse <code>a|b</code> for x_y or *stars*.";
        public static final ConfigDef CONFIG_DEF = new ConfigDef()
                .define("pipes", Type.STRING, "a|b", ConfigDef.ValidString.in("a|b", "c"), Importance.LOW,
                        "Either a|b or c.\nSecond line.\r\nThird line.")
                .define("markup", Type.STRING, "x", Importance.LOW,
                        "Written rules.<name>.type; a[*] or b[*]; see [docs](x) `tick` \\d & 1 < 2 > 0 &amp;");
    }

    public static final class UndescribedValidator {
        public static final ConfigDef CONFIG_DEF = new ConfigDef()
                .define("n", Type.INT, 1, (name, value) -> { }, Importance.LOW, "A number.");
    }

    public static final class NoConfigDef {
        public static final String OVERVIEW_DOC = "Nothing to configure?";
    }

    // ---- Undocumented keys ----------------------------------------------------------------------------------

    @Test
    void undocumentedKeysFailNamingClassAndEveryKey() {
        assertThatThrownBy(() -> ConfigDocs.render(Undocumented.class))
                .isInstanceOf(ConfigDocsException.class)
                .hasMessageContaining(Undocumented.class.getName() + ": key 'no.doc' has no documentation")
                .hasMessageContaining(Undocumented.class.getName() + ": key 'blank.doc' has no documentation")
                .hasMessageContaining("key 'rules.<name>.type' (RULE_CONFIG_DEF key 'type') has no documentation")
                .hasMessageNotContaining("'fine'")
                .satisfies(e -> assertThat(((ConfigDocsException) e).problems()).hasSize(3));
    }

    @Test
    void undocumentedKeyFailsTheWholeRunAndWritesNothing(@TempDir Path dir) {
        List<PageSpec> pages = List.of(PageSpec.parse("good.md=" + Documented.class.getName()),
                PageSpec.parse("bad.md=" + Undocumented.class.getName()));

        assertThatThrownBy(() -> ConfigDocs.generate(dir, pages, false, getClass().getClassLoader()))
                .isInstanceOf(ConfigDocsException.class)
                .hasMessageContaining("'no.doc'");
        assertThat(dir.resolve("good.md")).doesNotExist();
        assertThat(dir.resolve("bad.md")).doesNotExist();
    }

    @Test
    void mainFailsOnAnUndocumentedKey(@TempDir Path dir) {
        // The build runs main in Maven's JVM: an exception (not System.exit) fails it.
        assertThatThrownBy(() -> ConfigDocs.main(new String[] {
                dir.toString(), "bad.md=" + Undocumented.class.getName()}))
                .isInstanceOf(ConfigDocsException.class)
                .hasMessageContaining(Undocumented.class.getName())
                .hasMessageContaining("no.doc");
    }

    @Test
    void validatorWithoutDescriptionFails() {
        // Its Object.toString() would put a new hash in the page on every build.
        assertThatThrownBy(() -> ConfigDocs.render(UndescribedValidator.class))
                .hasMessageContaining("key 'n' has a validator without a description");
    }

    @Test
    void classWithoutConfigDefFails() {
        assertThatThrownBy(() -> ConfigDocs.render(NoConfigDef.class))
                .hasMessageContaining(NoConfigDef.class.getName() + " has no public static ConfigDef CONFIG_DEF");
    }

    @Test
    void missingClassFailsNamingIt(@TempDir Path dir) {
        assertThatThrownBy(() -> ConfigDocs.generate(dir, List.of(PageSpec.parse("x.md=com.example.Missing")),
                false, getClass().getClassLoader()))
                .hasMessageContaining("com.example.Missing (page x.md) is not on the classpath");
    }

    // ---- Rendering ------------------------------------------------------------------------------------------

    @Test
    void rendersOneRowPerKeyInDefinitionOrder() {
        String page = ConfigDocs.render(Documented.class);

        assertThat(page).contains(PageRenderer.TABLE_HEADER
                + "| `topic` | string | *required* |  | high | Where records go. |\n"
                + "| `batch.size` | int | `100` | [1,...,1000] | medium | How many records per batch. |\n"
                + "| `mode` | string | `fast` | [fast, safe] | low | fast or safe. |\n"
                + "| `names` | list | `\"\"` |  | low | Names, comma-separated. |\n"
                + "| `label` | string | `null` |  | low | An optional label. |\n"
                + "| `secret` | password | `[hidden]` |  | low | Never shown. |\n"
                + "\n");
        assertThat(page).doesNotContain("internal.knob").doesNotContain("hunter2").doesNotContain("NOT_A_CONFIG_DEF");
    }

    @Test
    void rendersTitleOverviewAndNestedTablesWithTheirPrefixes() {
        String page = ConfigDocs.render(Documented.class);

        assertThat(page).startsWith(PageRenderer.GENERATED_MARKER + " from the ConfigDefs of "
                + Documented.class.getName() + ". Do not edit by hand: change the ConfigDef and rebuild. -->\n\n"
                + "# ConfigDocsTest.Documented configuration reference\n\n"
                + "Plugin class: `" + Documented.class.getName() + "`\n\n"
                + "Does a thing to each record.\n\n"
                + "## Configuration keys\n\n");
        // Tables after CONFIG_DEF come in field-name order; the prefix is the convention or the *_KEY_PREFIX field.
        assertThat(page).containsSubsequence(
                "## Item keys\n\nEach key in this table is written with the prefix `items.<name>.`.\n\n",
                "| `items.<name>.kind` | string | *required* |  | high | The item's kind. |\n",
                "## Sink topic keys\n\nEach key in this table is written with the prefix `sink.<topic>.`.\n\n",
                "| `sink.<topic>.name` | string | `x` |  | low | The topic name. |\n");
        assertThat(page).endsWith(" |\n").doesNotEndWith("\n\n");
    }

    @Test
    void conventionalPrefix() {
        assertThat(PluginPage.conventionalPrefix("RULE")).isEqualTo("rules.<name>.");
        assertThat(PluginPage.conventionalPrefix("SINK_TOPIC")).isEqualTo("sink.topics.<name>.");
    }

    @Test
    void escapesPipesAndNewlinesInCells() {
        String page = ConfigDocs.render(Escaping.class);

        assertThat(page).contains("| `pipes` | string | `a\\|b` | [a\\|b, c] | low | "
                + "Either a\\|b or c.<br>Second line.<br>Third line. |\n");
        // Every row still has exactly the 7 unescaped pipes of 6 cells.
        page.lines().filter(l -> l.startsWith("| `")).forEach(row ->
                assertThat(row.replace("\\|", "").chars().filter(c -> c == '|').count()).isEqualTo(7));
    }

    @Test
    void escapesMarkdownAndHtmlButKeepsSimpleTags() {
        String page = ConfigDocs.render(Escaping.class);

        assertThat(page).contains("| `markup` | string | `x` |  | low | Written rules.&lt;name&gt;.type; "
                + "a[\\*] or b[\\*]; see [docs\\](x) \\`tick\\` \\\\d & 1 &lt; 2 &gt; 0 &amp;amp; |\n");
        assertThat(page).contains("\n\\# not a heading\nUse <code>a\\|b</code> for x_y or \\*stars\\*.\n");
    }

    @Test
    void codeSpans() {
        assertThat(Markdown.code("a`b", false)).isEqualTo("``a`b``");
        assertThat(Markdown.code("`a", false)).isEqualTo("`` `a ``");
        assertThat(Markdown.code("a|b", false)).isEqualTo("`a|b`");
        assertThat(Markdown.code("a|b", true)).isEqualTo("`a\\|b`");
        assertThat(Markdown.code("a\nb", true)).isEqualTo("`a b`");
    }

    // ---- Files ----------------------------------------------------------------------------------------------

    @Test
    void writesOnlyChangedPagesAndPrunesOnlyGeneratedOnes(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("README.md"), "hand-written\n");
        Files.writeString(dir.resolve("notes.md"), "also hand-written\n");
        Files.writeString(dir.resolve("old-plugin.md"), PageRenderer.GENERATED_MARKER + " from ... -->\n");
        List<PageSpec> pages = List.of(PageSpec.parse("documented.md=" + Documented.class.getName()));
        ClassLoader loader = getClass().getClassLoader();

        ConfigDocs.Outcome first = ConfigDocs.generate(dir, pages, true, loader);
        assertThat(first.written()).containsExactly(dir.resolve("documented.md"));
        assertThat(first.deleted()).containsExactly(dir.resolve("old-plugin.md"));
        assertThat(dir.resolve("README.md")).hasContent("hand-written");
        assertThat(dir.resolve("notes.md")).exists();
        assertThat(Files.readString(dir.resolve("documented.md"), StandardCharsets.UTF_8))
                .isEqualTo(ConfigDocs.render(Documented.class));

        ConfigDocs.Outcome second = ConfigDocs.generate(dir, pages, true, loader);
        assertThat(second.written()).isEmpty();
        assertThat(second.unchanged()).containsExactly(dir.resolve("documented.md"));
        assertThat(second.deleted()).isEmpty();
    }

    @Test
    void rejectsBadPageSpecs() {
        assertThatThrownBy(() -> PageSpec.parse("no-equals-sign")).hasMessageContaining("<file>.md=<plugin class>");
        assertThatThrownBy(() -> PageSpec.parse("page.txt=a.B")).hasMessageContaining("ending in .md");
        assertThatThrownBy(() -> PageSpec.parse("../x.md=a.B")).hasMessageContaining("plain file name");
        assertThatThrownBy(() -> PageSpec.parse("README.md=a.B")).hasMessageContaining("reserved");
        assertThatThrownBy(() -> PageSpec.parse("x.md=not a class")).hasMessageContaining("not a fully qualified");
        assertThatThrownBy(() -> ConfigDocs.main(new String[] {"only-a-dir"})).hasMessageContaining("usage");
    }

    // ---- The real plugins -----------------------------------------------------------------------------------

    @Test
    void validateContractPageListsItsKeysAndRuleKeys(@TempDir Path dir) throws Exception {
        ConfigDocs.main(new String[] {dir.toString(), "validate-contract.md=" + ValidateContract.class.getName()});

        String page = Files.readString(dir.resolve("validate-contract.md"), StandardCharsets.UTF_8);
        assertThat(page)
                .contains("# ValidateContract configuration reference")
                .contains("## Configuration keys")
                .contains("| `on.failure` | string | `fail` |")
                .contains("| `rules` | list | `\"\"` |")
                .contains("## Rule keys")
                .contains("Each key in this table is written with the prefix `rules.<name>.`.")
                .contains("| `rules.<name>.type` | string | *required* |")
                .containsSubsequence("| `contract.id` |", "| `rules` |", "| `on.failure` |",
                        "| `rules.<name>.type` |", "| `rules.<name>.field` |", "| `rules.<name>.severity` |");
        // One row per key of each ConfigDef.
        assertThat(page.lines().filter(l -> l.startsWith("| `rules.<name>.")))
                .hasSize(ValidateContract.RULE_CONFIG_DEF.names().size());
        assertThat(page.lines().filter(l -> l.startsWith("| `") && !l.startsWith("| `rules.<name>.")))
                .hasSize(ValidateContract.CONFIG_DEF.names().size());
        // Deterministic: rendering again gives the same text.
        assertThat(ConfigDocs.render(ValidateContract.class)).isEqualTo(page);
    }

    @Test
    void privacyPagesListTheirKeysAndRuleKeys() {
        for (Class<?> plugin : List.of(ProtectFields.class, RevealFields.class)) {
            String page = ConfigDocs.render(plugin);
            assertThat(page).contains("| `rules` | list | `\"\"` |")
                    .contains("| `rules.<name>.method` | string | *required* |")
                    .contains("| `rules.<name>.keyset` | password | `null` |");
            assertThat(page.lines().filter(l -> l.startsWith("| `rules.<name>.")))
                    .hasSize(ProtectFields.RULE_CONFIG_DEF.names().size());
        }
    }
}
