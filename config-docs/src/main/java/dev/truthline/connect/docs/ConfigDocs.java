package dev.truthline.connect.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Generates the Markdown configuration reference of Truthline plugins from their ConfigDefs, and refuses to when
 * a key is undocumented. The build runs it in module {@code config-docs} (exec-maven-plugin, phase
 * {@code process-classes}) into {@code docs/config}.
 *
 * <pre>
 * ConfigDocs [--prune] &lt;output-dir&gt; &lt;page&gt;.md=&lt;plugin class&gt; ...
 * </pre>
 *
 * <p>A plugin class is documented by its public static fields:
 * <ul>
 *   <li>{@code String OVERVIEW_DOC} (optional): the page's introduction;</li>
 *   <li>{@code ConfigDef CONFIG_DEF} (required): the plugin's keys, in definition order;</li>
 *   <li>{@code ConfigDef <STEM>_CONFIG_DEF} (any number, e.g. {@code RULE_CONFIG_DEF}): keys users write under a
 *       prefix, one more table each, in the order of the field names. The prefix is the value of a public static
 *       {@code String <STEM>_KEY_PREFIX} (e.g. {@code RULE_KEY_PREFIX = "rules.<name>."}) if the class has one,
 *       otherwise the stem in lower case with {@code _} as {@code .} plus {@code s.<name>.}: {@code RULE} gives
 *       {@code rules.<name>.}.</li>
 * </ul>
 *
 * <p>Every key (except internal ones) must have a non-blank doc string, and every validator must describe itself
 * in {@code toString()}; otherwise nothing is written and a {@link ConfigDocsException} names each class and key,
 * which fails the build. Pages are only rewritten when their text changes. With {@code --prune}, generated pages
 * (recognised by their first line) that are no longer listed are deleted; other files are never touched.
 */
public final class ConfigDocs {

    private static final String PRUNE = "--prune";
    private static final String USAGE = "usage: ConfigDocs [" + PRUNE + "] <output-dir> <page>.md=<plugin class> ...";

    private ConfigDocs() {
    }

    /** What a run changed in the output directory. */
    public record Outcome(List<Path> written, List<Path> unchanged, List<Path> deleted) {
    }

    /**
     * Runs the generator. Errors are thrown rather than passed to {@code System.exit}: the build runs this in
     * Maven's own JVM, and the exception fails it with the message.
     */
    public static void main(String[] args) throws IOException {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        boolean prune = rest.remove(PRUNE);
        if (rest.size() < 2 || rest.get(0).startsWith("--")) {
            throw new ConfigDocsException(USAGE);
        }
        Path outputDir = Paths.get(rest.get(0));
        List<PageSpec> pages = rest.subList(1, rest.size()).stream().map(PageSpec::parse).toList();
        Outcome outcome = generate(outputDir, pages, prune, classLoader());
        for (Path path : outcome.written()) {
            System.out.println("config-docs: wrote " + path);
        }
        for (Path path : outcome.deleted()) {
            System.out.println("config-docs: deleted " + path + " (no longer generated)");
        }
    }

    /**
     * Renders every page, then writes them into {@code outputDir}, but only when all of them render: one
     * undocumented key anywhere and nothing is written.
     *
     * @throws ConfigDocsException listing every problem of every page
     */
    public static Outcome generate(Path outputDir, List<PageSpec> pages, boolean prune, ClassLoader loader)
            throws IOException {
        Map<String, String> rendered = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (PageSpec page : pages) {
            if (rendered.containsKey(page.fileName())) {
                problems.add("page " + page.fileName() + " is listed twice");
                continue;
            }
            try {
                PluginPage plugin = PluginPage.read(load(page, loader));
                List<String> own = plugin.problems();
                if (own.isEmpty()) {
                    rendered.put(page.fileName(), PageRenderer.render(plugin));
                } else {
                    problems.addAll(own);
                    rendered.put(page.fileName(), null);
                }
            } catch (ConfigDocsException e) {
                problems.addAll(e.problems());
                rendered.put(page.fileName(), null);
            }
        }
        if (!problems.isEmpty()) {
            throw ConfigDocsException.of(problems);
        }

        Files.createDirectories(outputDir);
        List<Path> written = new ArrayList<>();
        List<Path> unchanged = new ArrayList<>();
        for (Map.Entry<String, String> page : rendered.entrySet()) {
            Path file = outputDir.resolve(page.getKey());
            byte[] content = page.getValue().getBytes(StandardCharsets.UTF_8);
            if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), content)) {
                unchanged.add(file);
            } else {
                Files.write(file, content);
                written.add(file);
            }
        }
        List<Path> deleted = prune ? prune(outputDir, rendered.keySet()) : List.of();
        return new Outcome(List.copyOf(written), List.copyOf(unchanged), deleted);
    }

    /**
     * The page of one plugin class, as {@link #generate} would write it.
     *
     * @throws ConfigDocsException naming every undocumented key
     */
    public static String render(Class<?> plugin) {
        PluginPage page = PluginPage.read(plugin);
        List<String> problems = page.problems();
        if (!problems.isEmpty()) {
            throw ConfigDocsException.of(problems);
        }
        return PageRenderer.render(page);
    }

    private static Class<?> load(PageSpec page, ClassLoader loader) {
        try {
            return Class.forName(page.className(), true, loader);
        } catch (ClassNotFoundException e) {
            throw new ConfigDocsException("plugin class " + page.className() + " (page " + page.fileName()
                    + ") is not on the classpath; add its module as a dependency of config-docs", e);
        } catch (LinkageError e) {
            throw new ConfigDocsException("plugin class " + page.className() + " (page " + page.fileName()
                    + ") cannot be loaded: " + e, e);
        }
    }

    private static List<Path> prune(Path outputDir, Set<String> current) throws IOException {
        Set<String> keep = new HashSet<>(current);
        keep.add(PageSpec.README);
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(outputDir, "*.md")) {
            for (Path file : files) {
                if (!keep.contains(file.getFileName().toString()) && Files.isRegularFile(file) && isGenerated(file)) {
                    stale.add(file);
                }
            }
        }
        stale.sort(null);
        for (Path file : stale) {
            Files.delete(file);
        }
        return List.copyOf(stale);
    }

    private static boolean isGenerated(Path file) {
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = reader.readLine();
            return first != null && first.startsWith(PageRenderer.GENERATED_MARKER);
        } catch (IOException e) {
            return false; // not readable as UTF-8 text: not ours
        }
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : ConfigDocs.class.getClassLoader();
    }
}
