package dev.truthline.connect.validation;

import java.util.ArrayList;
import java.util.List;

/**
 * A fast whole-string matcher for the common, simple subset of RE2 syntax, used where it applies
 * and checked against RE2 itself: the pattern is first compiled by RE2J (which defines the syntax
 * and the meaning, and matches every pattern this class declines), then, when it uses only
 * literals, {@code .}, character classes, the Perl classes {@code \d \s \w} (and negations),
 * groups, alternation and repetition, and fits in 64 positions, it is turned into a Glushkov
 * position automaton whose state is one {@code long}. Matching walks the input once, code point
 * by code point, like RE2: linear time, no backtracking, no allocation.
 */
final class PositionAutomaton {

    /** Largest code point. */
    private static final int MAX_RUNE = 0x10FFFF;
    private static final int MAX_POSITIONS = 64;
    /** RE2's own limit on counted repetition. */
    private static final int MAX_REPEAT = 1000;

    private final long[] asciiMasks = new long[128];
    /** For each position, its code point ranges as [lo0, hi0, lo1, hi1, ...]. */
    private final int[][] ranges;
    private final long[] follow;
    private final long first;
    private final long last;
    private final boolean nullable;

    /** Most states of the ASCII table; a pattern that needs more is matched on the position sets alone. */
    private static final int MAX_TABLE_STATES = 127;

    /**
     * The automaton determinised over ASCII, built up front: {@code table[state << 7 | c]} is the next state's
     * number, 0 for no match (state 1 is the start). One load per character, where the position sets take a loop
     * over the active positions. Null when the pattern needs more than {@link #MAX_TABLE_STATES} states.
     */
    private final byte[] table;
    /** Per table state: its set of positions, to go on from with a character beyond ASCII. */
    private final long[] tableSets;
    private final boolean[] tableAccepts;

    private PositionAutomaton(List<int[]> positions, long[] follow, long first, long last, boolean nullable) {
        this.ranges = positions.toArray(new int[0][]);
        this.follow = follow;
        this.first = first;
        this.last = last;
        this.nullable = nullable;
        for (int c = 0; c < 128; c++) {
            asciiMasks[c] = maskOf(c);
        }
        // Subset construction from the start over the 128 ASCII characters. State 0: no match; state 1: the start
        // (no character read yet); any other: the set of positions reached.
        List<Long> sets = new ArrayList<>(List.of(0L, 0L));
        java.util.Map<Long, Integer> numbers = new java.util.HashMap<>();
        byte[] built = new byte[(MAX_TABLE_STATES + 1) << 7];
        boolean fits = true;
        for (int state = 1; state < sets.size() && fits; state++) {
            for (int c = 0; c < 128; c++) {
                long next = (state == 1 ? first : followOf(sets.get(state))) & asciiMasks[c];
                if (next == 0) {
                    continue;
                }
                Integer number = numbers.get(next);
                if (number == null) {
                    if (sets.size() > MAX_TABLE_STATES) {
                        fits = false;
                        break;
                    }
                    number = sets.size();
                    sets.add(next);
                    numbers.put(next, number);
                }
                built[state << 7 | c] = (byte) (int) number;
            }
        }
        if (fits) {
            this.table = java.util.Arrays.copyOf(built, sets.size() << 7);
            this.tableSets = new long[sets.size()];
            this.tableAccepts = new boolean[sets.size()];
            for (int state = 2; state < sets.size(); state++) {
                tableSets[state] = sets.get(state);
                tableAccepts[state] = (sets.get(state) & last) != 0;
            }
        } else {
            this.table = null;
            this.tableSets = null;
            this.tableAccepts = null;
        }
    }

    private long followOf(long state) {
        long candidates = 0;
        long s = state;
        while (s != 0) {
            candidates |= follow[Long.numberOfTrailingZeros(s)];
            s &= s - 1;
        }
        return candidates;
    }

    /**
     * Builds the automaton for a pattern RE2J has already accepted, or returns {@code null} when the
     * pattern is outside the supported subset (RE2J then does the matching).
     */
    static PositionAutomaton compile(String pattern) {
        try {
            Parser parser = new Parser(pattern);
            Node root = parser.parse();
            Builder builder = new Builder();
            Glushkov g = builder.build(root);
            return new PositionAutomaton(builder.positions, builder.follow, g.first, g.last, g.nullable);
        } catch (Unsupported e) {
            return null;
        }
    }

    boolean matches(String input) {
        int length = input.length();
        if (length == 0) {
            return nullable;
        }
        if (table == null) {
            return matchesFrom(input, 0, 0, false);
        }
        int state = 1;
        for (int i = 0; i < length; i++) {
            char c = input.charAt(i);
            if (c >= 128) {
                return matchesFrom(input, i, tableSets[state], state != 1);
            }
            state = table[state << 7 | c];
            if (state == 0) {
                return false;
            }
        }
        return tableAccepts[state];
    }

    /** Whether matching goes through the ASCII table (for tests). */
    boolean usesTable() {
        return table != null;
    }

    /** Matches {@code input} from index {@code from} on the position sets, in {@code state} there. */
    private boolean matchesFrom(String input, int from, long state, boolean started) {
        int length = input.length();
        for (int i = from; i < length; ) {
            int c = input.charAt(i);
            if (c >= 0xD800 && c <= 0xDFFF) {
                c = input.codePointAt(i);
            }
            i += Character.charCount(c);
            long candidates;
            if (!started) {
                candidates = first;
                started = true;
            } else {
                candidates = followOf(state);
            }
            state = candidates & (c < 128 ? asciiMasks[c] : maskOf(c));
            if (state == 0) {
                return false;
            }
        }
        return (state & last) != 0;
    }

    private long maskOf(int c) {
        long mask = 0;
        for (int p = 0; p < ranges.length; p++) {
            int[] r = ranges[p];
            for (int k = 0; k < r.length; k += 2) {
                if (c >= r[k] && c <= r[k + 1]) {
                    mask |= 1L << p;
                    break;
                }
            }
        }
        return mask;
    }

    /** Thrown for anything outside the supported subset. */
    private static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported() {
            super(null, null, false, false);
        }
    }

    // ---- syntax tree -------------------------------------------------------------------------

    private interface Node {
    }

    private record Chars(int[] ranges) implements Node {
    }

    private record Concat(List<Node> items) implements Node {
    }

    private record Alt(List<Node> options) implements Node {
    }

    /** {@code max} is -1 for unbounded. */
    private record Repeat(Node item, int min, int max) implements Node {
    }

    // ---- parser for the subset ---------------------------------------------------------------

    private static final class Parser {
        private final int[] runes;
        private int at;

        Parser(String pattern) {
            this.runes = pattern.codePoints().toArray();
        }

        Node parse() throws Unsupported {
            int end = runes.length;
            // Whole-value matching makes a leading ^ and a trailing $ (begin/end of text in RE2) no-ops.
            if (end > 0 && runes[0] == '^') {
                at = 1;
            }
            int stop = end;
            if (stop > at && runes[stop - 1] == '$' && !escaped(stop - 1)) {
                stop--;
            }
            Node node = alternation(stop);
            if (at != stop) {
                throw new Unsupported();
            }
            return node;
        }

        /** Whether the rune at index i is preceded by an odd number of backslashes. */
        private boolean escaped(int i) {
            int backslashes = 0;
            for (int k = i - 1; k >= 0 && runes[k] == '\\'; k--) {
                backslashes++;
            }
            return backslashes % 2 == 1;
        }

        private Node alternation(int stop) throws Unsupported {
            List<Node> options = new ArrayList<>();
            options.add(concat(stop));
            while (at < stop && runes[at] == '|') {
                at++;
                options.add(concat(stop));
            }
            return options.size() == 1 ? options.get(0) : new Alt(options);
        }

        private Node concat(int stop) throws Unsupported {
            List<Node> items = new ArrayList<>();
            while (at < stop && runes[at] != '|' && runes[at] != ')') {
                items.add(repeat(stop));
            }
            return new Concat(items);
        }

        private Node repeat(int stop) throws Unsupported {
            Node atom = atom(stop);
            if (at >= stop) {
                return atom;
            }
            int c = runes[at];
            Node result;
            if (c == '*') {
                at++;
                result = new Repeat(atom, 0, -1);
            } else if (c == '+') {
                at++;
                result = new Repeat(atom, 1, -1);
            } else if (c == '?') {
                at++;
                result = new Repeat(atom, 0, 1);
            } else if (c == '{') {
                result = counted(atom, stop);
            } else {
                return atom;
            }
            if (at < stop && runes[at] == '?') {
                at++; // non-greedy: the same language
            }
            if (at < stop && (runes[at] == '*' || runes[at] == '+' || runes[at] == '?' || runes[at] == '{')) {
                throw new Unsupported();
            }
            return result;
        }

        private Node counted(Node atom, int stop) throws Unsupported {
            at++; // '{'
            int min = number(stop);
            int max = min;
            if (at < stop && runes[at] == ',') {
                at++;
                max = at < stop && runes[at] == '}' ? -1 : number(stop);
            }
            if (at >= stop || runes[at] != '}' || min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && max < min)) {
                throw new Unsupported();
            }
            at++;
            return new Repeat(atom, min, max);
        }

        private int number(int stop) throws Unsupported {
            int start = at;
            int value = 0;
            while (at < stop && runes[at] >= '0' && runes[at] <= '9' && at - start < 5) {
                value = value * 10 + (runes[at] - '0');
                at++;
            }
            if (at == start) {
                throw new Unsupported();
            }
            return value;
        }

        private Node atom(int stop) throws Unsupported {
            int c = runes[at];
            switch (c) {
                case '(': {
                    at++;
                    if (at < stop && runes[at] == '?') {
                        if (at + 1 < stop && runes[at + 1] == ':') {
                            at += 2;
                        } else {
                            throw new Unsupported(); // flags and named groups
                        }
                    }
                    Node inner = alternation(stop);
                    if (at >= stop || runes[at] != ')') {
                        throw new Unsupported();
                    }
                    at++;
                    return inner;
                }
                case '.':
                    at++;
                    return new Chars(new int[] {0, '\n' - 1, '\n' + 1, MAX_RUNE});
                case '[':
                    return charClass(stop);
                case '\\':
                    return new Chars(escape(stop));
                case '^':
                case '$':
                case '*':
                case '+':
                case '?':
                case '{':
                case ')':
                    throw new Unsupported();
                default:
                    at++;
                    return new Chars(new int[] {c, c});
            }
        }

        /** An escape outside or inside a class, as ranges. */
        private int[] escape(int stop) throws Unsupported {
            at++; // '\'
            if (at >= stop) {
                throw new Unsupported();
            }
            int c = runes[at++];
            switch (c) {
                case 'd':
                    return new int[] {'0', '9'};
                case 'D':
                    return complement(new int[] {'0', '9'});
                case 's':
                    return new int[] {'\t', '\n', '\f', '\r', ' ', ' '};
                case 'S':
                    return complement(new int[] {'\t', '\n', '\f', '\r', ' ', ' '});
                case 'w':
                    return new int[] {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'};
                case 'W':
                    return complement(new int[] {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'});
                case 't':
                    return new int[] {'\t', '\t'};
                case 'n':
                    return new int[] {'\n', '\n'};
                case 'r':
                    return new int[] {'\r', '\r'};
                case 'f':
                    return new int[] {'\f', '\f'};
                default:
                    if (c < 128 && !Character.isLetterOrDigit(c) && c != '_' && c > ' ') {
                        return new int[] {c, c}; // escaped punctuation
                    }
                    throw new Unsupported(); // \b, \p, \x, \Q, octal, ...
            }
        }

        private Node charClass(int stop) throws Unsupported {
            at++; // '['
            boolean negated = false;
            if (at < stop && runes[at] == '^') {
                negated = true;
                at++;
            }
            List<int[]> parts = new ArrayList<>();
            boolean firstItem = true;
            while (true) {
                if (at >= runes.length) {
                    throw new Unsupported();
                }
                int c = runes[at];
                if (c == ']' && !firstItem) {
                    at++;
                    break;
                }
                firstItem = false;
                if (c == '[' && at + 1 < runes.length && runes[at + 1] == ':') {
                    throw new Unsupported(); // POSIX classes
                }
                int[] item;
                int lo;
                if (c == '\\') {
                    item = escape(runes.length);
                    if (item.length != 2 || item[0] != item[1]) {
                        parts.add(item);
                        continue;
                    }
                    lo = item[0];
                } else {
                    lo = c;
                    at++;
                }
                if (at + 1 < runes.length && runes[at] == '-' && runes[at + 1] != ']') {
                    at++;
                    int hi;
                    if (runes[at] == '\\') {
                        int[] end = escape(runes.length);
                        if (end.length != 2 || end[0] != end[1]) {
                            throw new Unsupported();
                        }
                        hi = end[0];
                    } else {
                        hi = runes[at++];
                    }
                    if (hi < lo) {
                        throw new Unsupported();
                    }
                    parts.add(new int[] {lo, hi});
                } else {
                    parts.add(new int[] {lo, lo});
                }
            }
            int[] ranges = normalize(parts);
            return new Chars(negated ? complement(ranges) : ranges);
        }
    }

    /** Sorts and merges ranges. */
    private static int[] normalize(List<int[]> parts) {
        List<int[]> pairs = new ArrayList<>();
        for (int[] part : parts) {
            for (int k = 0; k < part.length; k += 2) {
                pairs.add(new int[] {part[k], part[k + 1]});
            }
        }
        pairs.sort((a, b) -> Integer.compare(a[0], b[0]));
        List<int[]> merged = new ArrayList<>();
        for (int[] p : pairs) {
            int[] top = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (top != null && p[0] <= top[1] + 1) {
                top[1] = Math.max(top[1], p[1]);
            } else {
                merged.add(new int[] {p[0], p[1]});
            }
        }
        int[] out = new int[merged.size() * 2];
        for (int i = 0; i < merged.size(); i++) {
            out[2 * i] = merged.get(i)[0];
            out[2 * i + 1] = merged.get(i)[1];
        }
        return out;
    }

    /** The code points not in sorted, merged ranges. */
    private static int[] complement(int[] ranges) {
        List<int[]> out = new ArrayList<>();
        int next = 0;
        for (int k = 0; k < ranges.length; k += 2) {
            if (ranges[k] > next) {
                out.add(new int[] {next, ranges[k] - 1});
            }
            next = ranges[k + 1] + 1;
        }
        if (next <= MAX_RUNE) {
            out.add(new int[] {next, MAX_RUNE});
        }
        return normalize(out);
    }

    // ---- Glushkov construction ---------------------------------------------------------------

    private record Glushkov(boolean nullable, long first, long last) {
    }

    private static final class Builder {
        final List<int[]> positions = new ArrayList<>();
        final long[] follow = new long[MAX_POSITIONS];

        Glushkov build(Node node) throws Unsupported {
            if (node instanceof Chars) {
                if (positions.size() == MAX_POSITIONS) {
                    throw new Unsupported();
                }
                int[] r = ((Chars) node).ranges();
                if (r.length == 0) {
                    throw new Unsupported(); // an empty class never matches; leave it to RE2J
                }
                positions.add(r);
                long bit = 1L << (positions.size() - 1);
                return new Glushkov(false, bit, bit);
            }
            if (node instanceof Concat) {
                Glushkov acc = new Glushkov(true, 0, 0);
                for (Node item : ((Concat) node).items()) {
                    acc = concat(acc, build(item));
                }
                return acc;
            }
            if (node instanceof Alt) {
                boolean nullable = false;
                long first = 0;
                long last = 0;
                for (Node option : ((Alt) node).options()) {
                    Glushkov g = build(option);
                    nullable |= g.nullable();
                    first |= g.first();
                    last |= g.last();
                }
                return new Glushkov(nullable, first, last);
            }
            Repeat repeat = (Repeat) node;
            Glushkov acc = new Glushkov(true, 0, 0);
            for (int i = 0; i < repeat.min(); i++) {
                acc = concat(acc, build(repeat.item()));
            }
            if (repeat.max() < 0) {
                Glushkov loop = build(repeat.item());
                link(loop.last(), loop.first());
                acc = concat(acc, new Glushkov(true, loop.first(), loop.last()));
            } else {
                for (int i = repeat.min(); i < repeat.max(); i++) {
                    Glushkov g = build(repeat.item());
                    acc = concat(acc, new Glushkov(true, g.first(), g.last()));
                }
            }
            return acc;
        }

        private Glushkov concat(Glushkov a, Glushkov b) {
            link(a.last(), b.first());
            return new Glushkov(a.nullable() && b.nullable(),
                    a.first() | (a.nullable() ? b.first() : 0),
                    b.last() | (b.nullable() ? a.last() : 0));
        }

        private void link(long from, long to) {
            long s = from;
            while (s != 0) {
                int p = Long.numberOfTrailingZeros(s);
                follow[p] |= to;
                s &= s - 1;
            }
        }
    }
}
