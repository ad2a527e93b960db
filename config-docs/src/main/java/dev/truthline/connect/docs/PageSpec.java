package dev.truthline.connect.docs;

import java.util.regex.Pattern;

/**
 * One page to generate: the Markdown file name (inside the output directory) and the plugin class whose
 * ConfigDefs it documents. Written on the command line as {@code <file>.md=<fully qualified class name>}.
 */
public record PageSpec(String fileName, String className) {

    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*\\.md");
    private static final Pattern CLASS_NAME = Pattern.compile(
            "[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*"
                    + "(?:\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*");

    /** The hand-written page of the output directory; never generated, never pruned. */
    static final String README = "README.md";

    public PageSpec {
        if (fileName == null || !FILE_NAME.matcher(fileName).matches()) {
            throw new ConfigDocsException("page file name '" + fileName
                    + "' must be a plain file name ending in .md (letters, digits, '.', '_' and '-')");
        }
        if (fileName.equalsIgnoreCase(README)) {
            throw new ConfigDocsException("page file name '" + fileName + "' is reserved for the hand-written "
                    + "description of the folder");
        }
        if (className == null || !CLASS_NAME.matcher(className).matches()) {
            throw new ConfigDocsException("'" + className + "' (page " + fileName
                    + ") is not a fully qualified class name");
        }
    }

    /** Parses {@code <file>.md=<class name>}. */
    public static PageSpec parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq < 0) {
            throw new ConfigDocsException("page '" + spec + "' must be written <file>.md=<plugin class>");
        }
        return new PageSpec(spec.substring(0, eq).strip(), spec.substring(eq + 1).strip());
    }

    @Override
    public String toString() {
        return fileName + "=" + className;
    }
}
