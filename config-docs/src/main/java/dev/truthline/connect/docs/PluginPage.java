package dev.truthline.connect.docs;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;

/**
 * What a plugin class tells about its configuration, read by the conventions described in {@link ConfigDocs}.
 *
 * @param plugin   the plugin class
 * @param overview its {@code OVERVIEW_DOC}, or {@code null}
 * @param tables   {@code CONFIG_DEF} first, then each {@code *_CONFIG_DEF} in the order of the field names
 */
public record PluginPage(Class<?> plugin, String overview, List<KeyTable> tables) {

    /** The field holding the plugin's own configuration keys; required. */
    public static final String CONFIG_DEF_FIELD = "CONFIG_DEF";
    /** The field holding the plugin's description; optional. */
    public static final String OVERVIEW_FIELD = "OVERVIEW_DOC";
    /** Fields named {@code <STEM>_CONFIG_DEF} hold keys written under a prefix, e.g. {@code RULE_CONFIG_DEF}. */
    public static final String NESTED_CONFIG_DEF_SUFFIX = "_CONFIG_DEF";
    /** A field named {@code <STEM>_KEY_PREFIX} gives the prefix of the keys of {@code <STEM>_CONFIG_DEF}. */
    public static final String KEY_PREFIX_SUFFIX = "_KEY_PREFIX";
    /** The placeholder in a conventional prefix, e.g. {@code rules.<name>.}. */
    public static final String NAME_PLACEHOLDER = "<name>";

    public PluginPage {
        tables = List.copyOf(tables);
    }

    /**
     * The keys of one ConfigDef of the plugin.
     *
     * @param field      the name of the static field holding it
     * @param heading    the section heading, e.g. "Configuration keys" or "Rule keys"
     * @param keyPrefix  what users write before each key ({@code ""} for {@code CONFIG_DEF})
     * @param definition the ConfigDef
     */
    public record KeyTable(String field, String heading, String keyPrefix, ConfigDef definition) {

        /** The keys to document, in definition order; internal keys are not part of the public reference. */
        public List<ConfigKey> documentedKeys() {
            List<ConfigKey> keys = new ArrayList<>();
            for (ConfigKey key : definition.configKeys().values()) {
                if (!key.internalConfig) {
                    keys.add(key);
                }
            }
            return keys;
        }

        /** The key as users write it. */
        public String fullName(ConfigKey key) {
            return keyPrefix + key.name;
        }
    }

    /**
     * Reads the plugin's fields: {@code OVERVIEW_DOC} (optional), {@code CONFIG_DEF} (required) and every other
     * public static ConfigDef field named {@code <STEM>_CONFIG_DEF}, whose keys are written under the prefix given
     * by a public static String {@code <STEM>_KEY_PREFIX}, or else by the convention
     * {@link #conventionalPrefix(String)} ({@code RULE} gives {@code rules.<name>.}).
     *
     * @throws ConfigDocsException when the class breaks the conventions
     */
    public static PluginPage read(Class<?> plugin) {
        String overview = optionalString(plugin, OVERVIEW_FIELD);
        Field main = publicStaticField(plugin, CONFIG_DEF_FIELD);
        if (main == null || !ConfigDef.class.isAssignableFrom(main.getType())) {
            throw new ConfigDocsException(plugin.getName() + " has no public static ConfigDef " + CONFIG_DEF_FIELD
                    + " field; every documented plugin needs one");
        }
        List<KeyTable> tables = new ArrayList<>();
        tables.add(new KeyTable(CONFIG_DEF_FIELD, "Configuration keys", "", configDef(plugin, main)));

        // Class.getFields() has no defined order; the names make the page order stable.
        List<String> nested = Arrays.stream(plugin.getFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()))
                .filter(f -> ConfigDef.class.isAssignableFrom(f.getType()))
                .map(Field::getName)
                .filter(n -> n.endsWith(NESTED_CONFIG_DEF_SUFFIX) && n.length() > NESTED_CONFIG_DEF_SUFFIX.length())
                .distinct()
                .sorted()
                .toList();
        for (String name : nested) {
            String stem = name.substring(0, name.length() - NESTED_CONFIG_DEF_SUFFIX.length());
            String prefix = optionalString(plugin, stem + KEY_PREFIX_SUFFIX);
            if (prefix == null) {
                prefix = conventionalPrefix(stem);
            } else if (prefix.isBlank()) {
                throw new ConfigDocsException(plugin.getName() + "." + stem + KEY_PREFIX_SUFFIX + " is blank");
            }
            tables.add(new KeyTable(name, heading(stem), prefix,
                    configDef(plugin, publicStaticField(plugin, name))));
        }
        return new PluginPage(plugin, overview == null || overview.isBlank() ? null : overview.strip(), tables);
    }

    /**
     * The prefix of the keys of {@code <STEM>_CONFIG_DEF} when the plugin declares no {@code <STEM>_KEY_PREFIX}:
     * the stem in lower case, {@code _} turned into {@code .}, plus {@code s.<name>.}. So {@code RULE_CONFIG_DEF}
     * documents {@code rules.<name>.<key>} and {@code SINK_TOPIC_CONFIG_DEF} {@code sink.topics.<name>.<key>}.
     */
    public static String conventionalPrefix(String stem) {
        return stem.toLowerCase(Locale.ROOT).replace('_', '.') + "s." + NAME_PLACEHOLDER + ".";
    }

    /** The plugin's name on the page: its class name without the package ({@code Outer.Inner} when nested). */
    public String title() {
        String name = plugin.getName();
        String packageName = plugin.getPackageName();
        if (!packageName.isEmpty()) {
            name = name.substring(packageName.length() + 1);
        }
        return name.replace('$', '.');
    }

    /**
     * Everything that keeps the page from being complete and deterministic: keys without documentation, and
     * validators without a description (their {@code Object.toString()} would change with every run).
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (KeyTable table : tables) {
            for (ConfigKey key : table.documentedKeys()) {
                String where = plugin.getName() + ": key '" + table.fullName(key) + "'"
                        + (table.keyPrefix().isEmpty() ? "" : " (" + table.field() + " key '" + key.name + "')");
                if (key.documentation == null || key.documentation.isBlank()) {
                    problems.add(where + " has no documentation; give it a doc string in its define(...)");
                }
                if (key.validator != null && !describesItself(key.validator)) {
                    problems.add(where + " has a validator without a description ("
                            + key.validator.getClass().getName() + " does not override toString()); describe "
                            + "the valid values, e.g. ConfigDef.LambdaValidator.with(check, () -> \"...\")");
                }
            }
        }
        return problems;
    }

    private static boolean describesItself(ConfigDef.Validator validator) {
        try {
            return validator.getClass().getMethod("toString").getDeclaringClass() != Object.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static String heading(String stem) {
        String words = stem.toLowerCase(Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1) + " keys";
    }

    private static Field publicStaticField(Class<?> plugin, String name) {
        Field field;
        try {
            field = plugin.getField(name);
        } catch (NoSuchFieldException e) {
            return null;
        }
        return Modifier.isStatic(field.getModifiers()) ? field : null;
    }

    private static String optionalString(Class<?> plugin, String name) {
        Field field = publicStaticField(plugin, name);
        if (field == null) {
            return null;
        }
        if (field.getType() != String.class) {
            throw new ConfigDocsException(plugin.getName() + "." + name + " must be a String, not "
                    + field.getType().getName());
        }
        return (String) value(plugin, field);
    }

    private static ConfigDef configDef(Class<?> plugin, Field field) {
        ConfigDef def = (ConfigDef) value(plugin, field);
        if (def == null) {
            throw new ConfigDocsException(plugin.getName() + "." + field.getName() + " is null");
        }
        return def;
    }

    private static Object value(Class<?> plugin, Field field) {
        try {
            if (!field.canAccess(null)) {
                field.setAccessible(true);
            }
            return field.get(null);
        } catch (IllegalAccessException | RuntimeException | ExceptionInInitializerError e) {
            throw new ConfigDocsException("cannot read " + plugin.getName() + "." + field.getName() + ": " + e, e);
        }
    }
}
