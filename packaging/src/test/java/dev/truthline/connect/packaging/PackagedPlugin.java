package dev.truthline.connect.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** What the build packaged, located through the system properties the POM passes to Failsafe. */
final class PackagedPlugin {

    /** Jar names of what the Connect worker provides itself: none of them belongs in the plugin. */
    static final String[] WORKER_PROVIDED_PREFIXES = {"connect-", "kafka-", "kafka_", "slf4j-", "log4j-", "reload4j-"};

    private PackagedPlugin() {
    }

    static String version() {
        return property("truthline.version");
    }

    /** The plugin directory for a worker's {@code plugin.path}: {@code target/truthline-<version>/}. */
    static Path pluginDir() {
        return Path.of(property("truthline.plugin.dir"));
    }

    /** The Confluent Hub archive: {@code target/<owner>-<name>-<version>.zip}. */
    static Path componentZip() {
        return Path.of(property("truthline.component.zip"));
    }

    /** The archive's top folder: {@code <owner>-<name>-<version>}. */
    static String componentId() {
        return property("truthline.component.id");
    }

    /** File name to size of every file in the plugin directory. */
    static Map<String, Long> pluginDirFiles() {
        Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(pluginDir())) {
            for (Path file : (Iterable<Path>) list::iterator) {
                files.put(file.getFileName().toString(), Files.isDirectory(file) ? -1L : Files.size(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** Path inside the top folder to size of every file in the archive (folders left out). */
    static Map<String, Long> zipFiles() {
        String top = componentId() + "/";
        Map<String, Long> files = new TreeMap<>();
        try (ZipFile zip = new ZipFile(componentZip().toFile())) {
            zip.stream().filter(e -> !e.isDirectory()).forEach(e -> {
                if (!e.getName().startsWith(top)) {
                    throw new AssertionError("archive entry outside " + top + ": " + e.getName());
                }
                files.put(e.getName().substring(top.length()), e.getSize());
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** The text of a file in the archive, by its path inside the top folder. */
    static String zipText(String path) {
        try (ZipFile zip = new ZipFile(componentZip().toFile())) {
            ZipEntry entry = zip.getEntry(componentId() + "/" + path);
            if (entry == null) {
                throw new AssertionError("no " + path + " in " + componentZip());
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isWorkerProvided(String jarName) {
        for (String prefix : WORKER_PROVIDED_PREFIXES) {
            if (jarName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    static boolean isTruthline(String jarName) {
        return jarName.startsWith("truthline-");
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set: run the tests through Maven (verify)");
        }
        return value;
    }
}
