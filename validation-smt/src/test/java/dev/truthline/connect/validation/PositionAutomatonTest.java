package dev.truthline.connect.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.google.re2j.Pattern;

/**
 * The fast matcher must agree with RE2J on every input: each supported pattern is matched against
 * thousands of strings built from its own characters, near misses, newlines, non-ASCII letters,
 * supplementary characters and lone surrogates, and every answer is compared with RE2J's.
 */
class PositionAutomatonTest {

    private static final String[] EXTRA = {"", "a", "A", "0", "9", "-", "_", ".", "@", " ", "\t", "\n", "\r", "é", "ß",
        "\u00a0", "\u2028", "😀", "\ud800", "\udc00", "Z", "z", "!", "[", "]", "\\", "$", "^", "x", "%", "+"};

    @ParameterizedTest
    @ValueSource(strings = {
        "[A-Z]{3}-[0-9]{4}", "[A-Z]{2}", "\\d{5}", "\\d+", "\\d*", "[^@\\s]+@[^@\\s]+\\.[a-z]{2,}",
        "[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}", "^[A-Z]{3}$", "^abc", "abc$", "a|b|", "(ab|cd)*e?",
        "(?:a|b)+c{2,3}", "a.b", ".*", ".+", ".", "[^a]", "[^\\n]*", "\\w+", "\\W", "\\S+\\s\\S+", "\\D*",
        "[]a]", "[a-]", "[-a]", "[[]", "[\\]\\-]+", "x{0}", "x{0,2}y", "(a?){3}", "(a*)*b", "(a|aa)+",
        "é+", "😀.", "[à-ÿ]+", "\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$", "(a+)+$", "ab*?c", "[\\d\\s]+",
        "[^\\d]", "[\\W]", "(x|y|z){1,4}w", "^$", "", "a{2,}", "A[Q-Za-f][A-Za-z0-9_-]{28,}",
        "(a|b)*a(a|b){7}"})
    void agreesWithRe2OnEveryInput(String regex) {
        Pattern re2 = Pattern.compile(regex);
        PositionAutomaton automaton = PositionAutomaton.compile(regex);
        assertThat(automaton).as("supported: %s", regex).isNotNull();

        List<String> alphabet = new ArrayList<>(List.of(EXTRA));
        regex.codePoints().forEach(c -> alphabet.add(new String(Character.toChars(c))));
        SplittableRandom random = new SplittableRandom(regex.hashCode());
        int matches = 0;
        for (int i = 0; i < 5000; i++) {
            StringBuilder input = new StringBuilder();
            int length = random.nextInt(12);
            for (int k = 0; k < length; k++) {
                input.append(alphabet.get(random.nextInt(alphabet.size())));
            }
            String s = input.toString();
            boolean expected = re2.matches(s);
            assertThat(automaton.matches(s)).as("%s on %s", regex, escape(s)).isEqualTo(expected);
            matches += expected ? 1 : 0;
        }
        int checked = 5000;
        for (String s : samplesThatMatch(regex)) {
            boolean expected = re2.matches(s);
            assertThat(automaton.matches(s)).as("%s on %s", regex, escape(s)).isEqualTo(expected);
            matches += expected ? 1 : 0;
            checked++;
        }
        // Both answers were exercised, so agreement means something.
        assertThat(matches).as("inputs matching %s", regex).isPositive().isLessThan(checked);
    }

    private static List<String> samplesThatMatch(String regex) {
        return List.of("ABC-1234", "AB", "12345", "a@b.co", "john.doe+x@mail.example.org", "abc", "aab", "ccc", "ab",
            "abcde", "abcc", "a\nb", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "xyzw", "ééé", "😀x", "àÿ",
            ".*+?()[]{}|^$", "AQabcdefghijklmnopqrstuvwxyz0123", "AfA-_9zzzzzzzzzzzzzzzzzzzzzzzzzzzz", "babababab",
            "AQabcdefghijklmnopqrstuvwxyz0123é");
    }

    /**
     * Patterns match through a table over ASCII built up front; one whose table would need more than 127 states
     * (here 2^8: the last eight characters must be remembered) is matched on the position sets alone — the test
     * above proves both agree with RE2.
     */
    @org.junit.jupiter.api.Test
    void buildsTheAsciiTableUnlessThePatternNeedsTooManyStates() {
        assertThat(PositionAutomaton.compile("A[Q-Za-f][A-Za-z0-9_-]{28,}").usesTable()).isTrue();
        assertThat(PositionAutomaton.compile("[A-Z]{3}-[0-9]{4}").usesTable()).isTrue();
        assertThat(PositionAutomaton.compile("(a|b)*a(a|b){7}").usesTable()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"(?i)abc", "\\bword\\b", "\\pL+", "\\x41", "[[:alpha:]]", "a$b", "\\Qa.b\\E",
        "(?P<name>a)", "(a){64}b", "[a-z]{65}"})
    void declinesWhatItDoesNotSupportAndLeavesItToRe2(String regex) {
        Pattern.compile(regex); // RE2 accepts it
        assertThat(PositionAutomaton.compile(regex)).as(regex).isNull();
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder("\"");
        s.chars().forEach(c -> out.append(c < 32 || c > 126 ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return out.append('"').toString();
    }
}
