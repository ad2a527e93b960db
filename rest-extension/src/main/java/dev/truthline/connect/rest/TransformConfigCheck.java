package dev.truthline.connect.rest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigTransformer;
import org.apache.kafka.connect.runtime.isolation.PluginUtils;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.maven.artifact.versioning.DefaultArtifactVersion;
import org.apache.maven.artifact.versioning.InvalidVersionSpecificationException;
import org.apache.maven.artifact.versioning.VersionRange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.truthline.connect.core.TruthlineVersion;
import dev.truthline.connect.core.config.ConfigProblem;
import dev.truthline.connect.core.config.TransformConfigProbe;

/**
 * Probes each Truthline transformation of a connector configuration with {@link TransformConfigProbe}
 * (its declared keys as Connect validates them, then {@code configure()} as a task runs it) and collects
 * the problems on full connector-level keys. Connect's own
 * validation only checks the keys a transformation's {@code config()} declares, on an instance that
 * never sees the properties; rule keys ({@code rules.<name>.*}) and checks across keys ({@code min >
 * max}) are only found by {@code configure()}.
 *
 * <p>Only classes under {@value #TRUTHLINE_PACKAGE} are configured: configuring a third-party
 * transformation may have side effects (connections, threads, files) that a validation must not
 * cause. Every configured instance is closed again.
 */
public final class TransformConfigCheck {

    static final String TRUTHLINE_PACKAGE = "dev.truthline.connect.";

    private static final String TRANSFORMS = "transforms";
    private static final String PLUGIN_VERSION = "plugin.version";
    private static final Pattern LIST_SEPARATOR = Pattern.compile("\\s*,\\s*");

    private static final Logger log = LoggerFactory.getLogger(TransformConfigCheck.class);

    private final ClassLoader ownLoader;
    private final String version;

    /** Loads transformations with this extension's own class loader first (in a worker: the Truthline plugin loader). */
    public TransformConfigCheck() {
        this(TransformConfigCheck.class.getClassLoader(), TruthlineVersion.get());
    }

    TransformConfigCheck(ClassLoader ownLoader, String version) {
        this.ownLoader = ownLoader;
        this.version = version;
    }

    /**
     * The errors that configuring the Truthline transformations of {@code config} (a connector
     * configuration as submitted) reports; empty when there are none or nothing could be checked.
     */
    public List<ConfigProblem> check(Map<String, String> config) {
        List<ConfigProblem> errors = new ArrayList<>();
        for (String alias : aliases(config.get(TRANSFORMS))) {
            String prefix = TransformConfigProbe.keyPrefix(alias);
            String type = config.get(prefix + TransformConfigProbe.TYPE);
            if (type == null || !type.trim().startsWith(TRUTHLINE_PACKAGE)) {
                continue;
            }
            Map<String, String> props = TransformConfigProbe.transformProps(config, alias);
            if (hasUnresolvedReference(props)) {
                // Connect resolves ${provider:path:key} only when it validates or starts; the raw text would
                // be judged here. Connect's own validation still runs on the resolved values.
                log.debug("Not configuring transformation {}: its configuration refers to a config provider", alias);
                continue;
            }
            if (!isThisVersion(props.get(PLUGIN_VERSION))) {
                log.debug("Not configuring transformation {}: {} asks for a version other than {}",
                        alias, prefix + PLUGIN_VERSION, version);
                continue;
            }
            errors.addAll(configure(type.trim(), prefix, props));
        }
        return errors;
    }

    private List<ConfigProblem> configure(String className, String prefix, Map<String, String> props) {
        Class<?> type = load(className);
        if (type == null || !Transformation.class.isAssignableFrom(type)) {
            // Connect reports a class it cannot find or that is no transformation on transforms.<alias>.type.
            return List.of();
        }
        Transformation<?> transformation;
        try {
            transformation = (Transformation<?>) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            log.debug("Cannot instantiate {}; Connect reports it", className, e);
            return List.of();
        }
        try {
            return TransformConfigProbe.probe(transformation, props, prefix);
        } catch (LinkageError e) {
            // An installation problem, not a configuration one: the worker logs it when a task starts.
            log.warn("Cannot check the configuration of {}: {}", className, e.toString());
            return List.of();
        }
    }

    /** The class, from this extension's loader or else the thread's context loader; null when neither has it. */
    private Class<?> load(String className) {
        for (ClassLoader loader : new ClassLoader[] {ownLoader, Thread.currentThread().getContextClassLoader()}) {
            if (loader == null) {
                continue;
            }
            try {
                return Class.forName(className, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                // try the next loader
            }
        }
        return null;
    }

    /** Whether a transformation's {@code plugin.version} (Connect's syntax: absent, "latest", a version or a range) selects this release. */
    private boolean isThisVersion(String requested) {
        try {
            VersionRange range = PluginUtils.connectorVersionRequirement(requested);
            return range == null || range.containsVersion(new DefaultArtifactVersion(version));
        } catch (InvalidVersionSpecificationException e) {
            return false; // Connect reports the malformed version itself
        }
    }

    private static boolean hasUnresolvedReference(Map<String, String> props) {
        for (String value : props.values()) {
            if (value != null && ConfigTransformer.DEFAULT_PATTERN.matcher(value).find()) {
                return true;
            }
        }
        return false;
    }

    /** Connect's LIST parsing of {@code transforms}; an alias listed twice is Connect's error to report. */
    private static Set<String> aliases(String transforms) {
        Set<String> aliases = new LinkedHashSet<>();
        if (transforms == null || transforms.isBlank()) {
            return aliases;
        }
        for (String alias : LIST_SEPARATOR.split(transforms.trim(), -1)) {
            if (!alias.isEmpty()) {
                aliases.add(alias);
            }
        }
        return aliases;
    }
}
