package dev.truthline.connect.contract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path.Node;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;

/**
 * Reads ODCS v3 YAML into an {@link OdcsDocument} (the model and the tree) and checks it. A document that
 * does not parse fails on its first problem (with its line); a document that parses is checked whole,
 * first against the standard's structure ({@link OdcsConformance}), then for what a structure cannot say
 * (a minimum above the maximum, names used twice, patterns RE2 cannot run), and every problem is reported
 * with the path of its element.
 */
public final class OdcsParser {

    private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    // "NO" is Norway, not false.
                    .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // Bounds and valid values keep the digits they were written with.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private OdcsParser() {
    }

    /**
     * Reads a contract from its YAML text: the model and the document tree it was read from.
     *
     * @throws InvalidContractException listing what is wrong with it; {@link InvalidContractException#notOdcs()}
     *                                  when the document is not ODCS v3 at all
     */
    public static OdcsDocument parse(String yaml) {
        if (yaml == null || yaml.isBlank()) {
            throw new InvalidContractException("the contract is empty");
        }
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new InvalidContractException(describe(e));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new InvalidContractException("the contract is empty");
        }
        if (!tree.isObject()) {
            throw InvalidContractException.notOdcs(List.of(NOT_A_MAPPING));
        }
        List<String> departures = OdcsConformance.problems(tree);
        if (!departures.isEmpty()) {
            throw InvalidContractException.notOdcs(departures);
        }
        OdcsContract contract;
        try {
            contract = YAML.treeToValue(tree, OdcsContract.class);
        } catch (JsonProcessingException e) {
            throw new InvalidContractException(describe(e));
        }
        check(contract);
        return new OdcsDocument(contract, tree);
    }

    /**
     * Reads a contract from a file (UTF-8).
     *
     * @throws InvalidContractException when the file cannot be read or the contract is not valid
     */
    public static OdcsDocument read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidContractException("cannot read the file: " + e);
        }
        return parse(text);
    }

    private static final String NOT_A_MAPPING =
            "the contract must be a YAML mapping of apiVersion, kind, id, version, status, schema...";

    private static void check(OdcsContract contract) {
        Set<ConstraintViolation<OdcsContract>> violations = Model.VALIDATOR.validate(contract);
        if (!violations.isEmpty()) {
            throw new InvalidContractException(problems(violations));
        }
    }

    /** One line per violation, {@code <path>: <message>}, sorted by path (indices as numbers). */
    static List<String> problems(Collection<? extends ConstraintViolation<?>> violations) {
        List<String> problems = new ArrayList<>();
        violations.stream()
                .sorted((a, b) -> {
                    int c = ElementPaths.compare(path(a), path(b));
                    return c != 0 ? c : a.getMessage().compareTo(b.getMessage());
                })
                .forEach(v -> {
                    String path = path(v);
                    problems.add(path.isEmpty() ? v.getMessage() : path + ": " + v.getMessage());
                });
        return problems;
    }

    /** A violation's property path written as in the document: {@code schema[0].properties[2].name}. */
    public static String path(ConstraintViolation<?> violation) {
        StringBuilder path = new StringBuilder();
        for (Node node : violation.getPropertyPath()) {
            if (node.isInIterable()) {
                Object key = node.getIndex() != null ? node.getIndex() : node.getKey();
                path.append('[').append(key == null ? "*" : key).append(']');
            }
            switch (node.getKind()) {
                case PROPERTY:
                    if (path.length() > 0) {
                        path.append('.');
                    }
                    path.append(node.getName());
                    break;
                default:
                    // Beans, container elements (<list element>) and the like have no name of their own.
            }
        }
        return path.toString();
    }

    /** What is wrong with a document Jackson could not read, with where it is. */
    private static String describe(JsonProcessingException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException) {
                MarkedYAMLException yaml = (MarkedYAMLException) cause;
                Mark mark = yaml.getProblemMark();
                String where = mark == null ? "" : " (line " + (mark.getLine() + 1) + ")";
                String context = yaml.getContext() == null ? "" : yaml.getContext() + ": ";
                return "not valid YAML" + where + ": " + context + yaml.getProblem();
            }
        }
        if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("No content to map")) {
            return "the contract is empty";
        }
        // The line, not the column: Jackson's column is where it stopped reading, past the offending value.
        String where = "";
        JsonLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            where = " (line " + location.getLineNr() + ")";
        }
        if (e instanceof JsonMappingException && !(e instanceof StreamReadException)) {
            JsonMappingException mapping = (JsonMappingException) e;
            String path = ElementPaths.of(mapping.getPath());
            String why = e instanceof MismatchedInputException
                    ? expected(((MismatchedInputException) e).getTargetType())
                    : firstLine(e.getOriginalMessage());
            if (path.isEmpty()) {
                return NOT_A_MAPPING + where;
            }
            return path + where + ": " + why;
        }
        return "not valid YAML" + where + ": " + firstLine(e.getOriginalMessage());
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "has the wrong type";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        if (type == Integer.class || type == int.class) {
            return "must be an integer";
        }
        if (Number.class.isAssignableFrom(type)) {
            return "must be a number";
        }
        if (type == String.class) {
            return "must be text, not a list or mapping";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "must be a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "must be a mapping of keys to values";
        }
        return "has the wrong type";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }

    /** The validator of the model, built on first use and shared: the model's classes never change. */
    private static final class Model {
        static final Validator VALIDATOR = build();

        private static Validator build() {
            // Resolve Hibernate Validator directly: under Connect's plugin isolation the thread's context class
            // loader need not see it, and no validation.xml on anyone's class path is wanted here.
            ValidatorFactory factory = Validation.byProvider(HibernateValidator.class)
                    .providerResolver(() -> List.of(new HibernateValidator()))
                    .configure()
                    .ignoreXmlConfiguration()
                    .messageInterpolator(new ParameterMessageInterpolator(Set.of(java.util.Locale.ROOT),
                            java.util.Locale.ROOT, context -> java.util.Locale.ROOT, false))
                    .propertyNodeNameProvider(new JacksonPropertyNames(YAML))
                    .buildValidatorFactory();
            return factory.getValidator();
        }
    }
}
