package dev.truthline.connect.docs;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns ConfigDef text into Markdown (GitHub flavoured) that shows exactly that text.
 *
 * <p>Doc strings are plain text that may contain a few inline HTML tags, as Kafka's own doc strings do
 * ({@code <code>}, {@code <em>}, {@code <br>}, lists, links): those tags are kept, everything else that Markdown
 * or HTML would interpret is escaped. So {@code rules.<name>.type} keeps its {@code <name>}, and the two stars of
 * {@code a[*] or b[*]} do not turn the text between them into italics.
 */
final class Markdown {

    /** The HTML tags a doc string may use; GitHub renders them, and they read well in an IDE's Javadoc too. */
    private static final Pattern KEPT_TAG = Pattern.compile(
            "</?(?:a|b|br|code|em|i|li|ol|p|pre|strong|sub|sup|tt|ul)(?:\\s[^<>]*)?/?>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ENTITY = Pattern.compile(
            "&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});");
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");
    private static final Pattern ORDERED_LIST_MARKER = Pattern.compile("([0-9]{1,9})([.)])");

    private Markdown() {
    }

    /** Text for a table cell: one line, line breaks shown as {@code <br>}, {@code |} escaped. */
    static String cell(String text) {
        if (text == null) {
            return "";
        }
        String[] lines = LINE_BREAK.split(text.strip(), -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                out.append("<br>");
            }
            inline(lines[i].strip(), out);
        }
        return out.toString();
    }

    /** Text for a paragraph: line breaks kept, a line never starts a heading, list, quote or code block. */
    static String paragraph(String text) {
        String[] lines = LINE_BREAK.split(text.strip(), -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                out.append('\n');
            }
            String line = lines[i].strip();
            Matcher ordered = ORDERED_LIST_MARKER.matcher(line);
            if (ordered.lookingAt()) {
                out.append(ordered.group(1)).append('\\').append(ordered.group(2));
                line = line.substring(ordered.end());
            } else if (!line.isEmpty() && "#-+=[".indexOf(line.charAt(0)) >= 0) {
                out.append('\\').append(line.charAt(0));
                line = line.substring(1);
            }
            inline(line, out);
        }
        return out.toString();
    }

    /**
     * A code span showing {@code text} literally. In a table cell ({@code inTable}) a {@code |} must be escaped
     * even inside the span; GitHub removes the backslash.
     */
    static String code(String text, boolean inTable) {
        String content = LINE_BREAK.matcher(text).replaceAll(" ");
        if (inTable) {
            content = content.replace("|", "\\|");
        }
        int longestRun = 0;
        int run = 0;
        for (int i = 0; i < content.length(); i++) {
            run = content.charAt(i) == '`' ? run + 1 : 0;
            longestRun = Math.max(longestRun, run);
        }
        String fence = "`".repeat(longestRun + 1);
        boolean pad = content.startsWith("`") || content.endsWith("`")
                || (content.startsWith(" ") && content.endsWith(" ") && !content.isBlank());
        return pad ? fence + " " + content + " " + fence : fence + content + fence;
    }

    private static void inline(String text, StringBuilder out) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> {
                    Matcher tag = KEPT_TAG.matcher(text).region(i, length);
                    if (tag.lookingAt()) {
                        out.append(tag.group().replace("|", "\\|"));
                        i = tag.end() - 1;
                    } else {
                        out.append("&lt;");
                    }
                }
                case '>' -> out.append("&gt;");
                case '&' -> out.append(ENTITY.matcher(text).region(i, length).lookingAt() ? "&amp;" : "&");
                case '\\', '`', '*', '~', '|' -> out.append('\\').append(c);
                case '_' -> {
                    // Inside a word (iso_country) an underscore cannot start or end emphasis; elsewhere it can.
                    boolean inWord = i > 0 && i + 1 < length
                            && Character.isLetterOrDigit(text.charAt(i - 1))
                            && Character.isLetterOrDigit(text.charAt(i + 1));
                    out.append(inWord ? "_" : "\\_");
                }
                case ']' -> {
                    // [text](target) and [text][ref] are links; a lone [text] is not.
                    boolean link = i + 1 < length && (text.charAt(i + 1) == '(' || text.charAt(i + 1) == '[');
                    out.append(link ? "\\]" : "]");
                }
                default -> out.append(c);
            }
        }
    }
}
