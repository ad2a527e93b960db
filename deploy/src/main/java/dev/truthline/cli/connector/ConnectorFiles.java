package dev.truthline.cli.connector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads connector JSON files in the two shapes the Connect REST API knows: {@code {"name": …,
 * "config": {…}}} (the body of {@code POST /connectors}) or a flat config map (the body of
 * {@code PUT /connectors/{name}/config}). A flat config without a {@code name} key is named by the
 * URL it is sent to; here, by its file name without {@code .json}, and the connector says so.
 */
public final class ConnectorFiles {

    /**
     * What was read: the connectors, the JSON files of a folder that are not connector configs, and the
     * files of a folder that could not be read.
     */
    public record Loaded(List<ConnectorConfig> connectors, List<Path> skipped, List<InvalidConnectorFileException> unreadable) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConnectorFiles() {
    }

    /**
     * Reads every file named, and every {@code *.json} file directly inside a folder named. A file
     * named explicitly must be a connector config; a JSON file found in a folder without a
     * {@code connector.class} (a topic spec, say) is skipped and listed, and one that cannot be read
     * is listed with its problem while the others are read.
     *
     * @throws InvalidConnectorFileException naming a file named explicitly (or a folder) and what is wrong with it
     */
    public static Loaded read(List<Path> paths) {
        List<ConnectorConfig> connectors = new ArrayList<>();
        List<Path> skipped = new ArrayList<>();
        List<InvalidConnectorFileException> unreadable = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                for (Path file : jsonFilesIn(path)) {
                    try {
                        JsonNode root = parse(file);
                        if (configNode(root).has(ConnectorConfig.CONNECTOR_CLASS)) {
                            connectors.add(toConfig(file, root));
                        } else {
                            skipped.add(file);
                        }
                    } catch (InvalidConnectorFileException e) {
                        unreadable.add(e);
                    }
                }
            } else {
                connectors.add(toConfig(path, parse(path)));
            }
        }
        return new Loaded(connectors, skipped, unreadable);
    }

    /** The connector name a file gives a flat config without one: its file name without {@code .json}. */
    public static String nameOf(Path file) {
        String fileName = file.getFileName().toString();
        return fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - ".json".length()) : fileName;
    }

    private static List<Path> jsonFilesIn(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json") && Files.isRegularFile(f))
                    .sorted().toList();
        } catch (IOException e) {
            throw new InvalidConnectorFileException(folder, "cannot list the folder: " + e.getMessage());
        }
    }

    private static JsonNode parse(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidConnectorFileException(file, "no such file");
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (root == null || !root.isObject()) {
                throw new InvalidConnectorFileException(file, "expected a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new InvalidConnectorFileException(file, "not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw new InvalidConnectorFileException(file, "cannot read it: " + e.getMessage());
        }
    }

    private static boolean wrapped(JsonNode root) {
        return root.path("config").isObject();
    }

    private static JsonNode configNode(JsonNode root) {
        return wrapped(root) ? root.get("config") : root;
    }

    private static ConnectorConfig toConfig(Path file, JsonNode root) {
        JsonNode node = configNode(root);
        Map<String, String> config = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode value = e.getValue();
            if (!value.isValueNode() || value.isNull()) {
                throw new InvalidConnectorFileException(file, "the value of " + e.getKey()
                        + " must be a string, a number or a boolean (Connect configs are flat string maps)");
            }
            config.put(e.getKey(), value.asText());
        }
        String name = wrapped(root) ? root.path("name").asText(null) : null;
        String inConfig = config.get("name");
        if (name == null) {
            name = inConfig;
        } else if (inConfig != null && !inConfig.equals(name)) {
            throw new InvalidConnectorFileException(file, "name \"" + name + "\" and config.name \"" + inConfig + "\" differ");
        }
        boolean nameFromFile = name == null;
        if (nameFromFile) {
            name = nameOf(file);
        }
        if (name.isBlank()) {
            throw new InvalidConnectorFileException(file, "no connector name: give {\"name\": …, \"config\": {…}}, a \"name\" "
                    + "key, or a file name to take it from");
        }
        if (!config.containsKey(ConnectorConfig.CONNECTOR_CLASS)) {
            throw new InvalidConnectorFileException(file, "no connector.class");
        }
        return new ConnectorConfig(name, file, config, nameFromFile);
    }
}
