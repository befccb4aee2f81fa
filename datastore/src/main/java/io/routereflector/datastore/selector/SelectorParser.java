package io.routereflector.datastore.selector;

import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser for Calico selectors, one method per precedence level:
 * <pre>
 * selector   := ε | or
 * or         := and ("||" and)*
 * and        := unary ("&amp;&amp;" unary)*
 * unary      := "!" unary | primary
 * primary    := "(" or ")" | "all()" | "global()" | "has(" key ")" | key comparison
 * comparison := ("==" | "!=" | "contains" | "starts with" | "ends with") string
 *             | ("in" | "not in") "{" [string ("," string)* [","]] "}"
 * </pre>
 * As in libcalico-go's tokenizer and parser: whitespace (space and tab only: a newline is no whitespace
 * but an error) may separate tokens, a set may end in a comma, {@code all(}, {@code global(} and
 * {@code has(} take the parenthesis directly after the word (otherwise the word is a label key), and
 * {@code not in}, {@code starts with}, {@code ends with} may be written without the space. Strings are
 * quoted with ' or " and have no escapes. Errors name the 1-based column of the offending character.
 */
public final class SelectorParser {

    private static final String OPERATORS = "expected \"==\", \"!=\", \"in\", \"not in\", \"contains\", \"starts with\" or \"ends with\"";
    private static final String OPERAND = "expected a label key, \"!\", \"(\", \"all()\", \"global()\" or \"has(\"";
    /** Bounds the recursion: no real selector nests this deep. */
    private static final int MAX_DEPTH = 128;

    private final String text;
    private int pos;
    private int depth;

    private SelectorParser(String text) {
        this.text = text;
    }

    /** An empty (or blank) selector means {@code all()}. */
    public static Selector parse(String text) throws SelectorException {
        SelectorParser p = new SelectorParser(text == null ? "" : text);
        p.skipSpace();
        if (p.atEnd()) {
            return new Selector.All();
        }
        Selector s = p.or();
        p.skipSpace();
        if (!p.atEnd()) {
            throw p.error("expected \"&&\", \"||\" or the end of the selector", p.pos);
        }
        return s;
    }

    private Selector or() throws SelectorException {
        List<Selector> operands = new ArrayList<>();
        operands.add(and());
        while (skipSpace() && text.startsWith("||", pos)) {
            pos += 2;
            operands.add(and());
        }
        return operands.size() == 1 ? operands.get(0) : new Selector.Or(operands);
    }

    private Selector and() throws SelectorException {
        List<Selector> operands = new ArrayList<>();
        operands.add(unary());
        while (skipSpace() && text.startsWith("&&", pos)) {
            pos += 2;
            operands.add(unary());
        }
        return operands.size() == 1 ? operands.get(0) : new Selector.And(operands);
    }

    private Selector unary() throws SelectorException {
        skipSpace();
        if (++depth > MAX_DEPTH) {
            throw error("selector nests deeper than " + MAX_DEPTH + " levels", pos);
        }
        try {
            if (peek() == '!') {
                pos++;
                return new Selector.Not(unary());
            }
            return primary();
        } finally {
            depth--;
        }
    }

    private Selector primary() throws SelectorException {
        skipSpace();
        int start = pos;
        if (peek() == '(') {
            pos++;
            Selector inner = or();
            skipSpace();
            expect(')', "expected \")\"");
            return inner;
        }
        if (!isKeyChar(peek())) {
            throw error(OPERAND, start);
        }
        String word = key();
        if (peek() == '(') {
            switch (word) {
                case "all":
                case "global":
                    pos++;
                    skipSpace();
                    expect(')', "expected \")\" after \"" + word + "(\"");
                    return word.equals("all") ? new Selector.All() : new Selector.Global();
                case "has":
                    pos++;
                    skipSpace();
                    int keyStart = pos;
                    if (!isKeyChar(peek())) {
                        throw error("expected a label key", keyStart);
                    }
                    String key = checkedKey(key(), keyStart);
                    skipSpace();
                    expect(')', "expected \")\"");
                    return new Selector.Has(key);
                default:
                    break;
            }
        }
        return comparison(checkedKey(word, start));
    }

    private Selector comparison(String key) throws SelectorException {
        skipSpace();
        int start = pos;
        if (text.startsWith("==", pos)) {
            pos += 2;
            return new Selector.Equals(key, string());
        }
        if (text.startsWith("!=", pos)) {
            pos += 2;
            return new Selector.NotEquals(key, string());
        }
        String op = word();
        switch (op) {
            case "in":
                return new Selector.In(key, set());
            case "notin":
                return new Selector.NotIn(key, set());
            case "not":
                secondWord("in", "expected \"in\" after \"not\"");
                return new Selector.NotIn(key, set());
            case "contains":
                return new Selector.Contains(key, string());
            case "startswith":
                return new Selector.StartsWith(key, string());
            case "starts":
                secondWord("with", "expected \"with\" after \"starts\"");
                return new Selector.StartsWith(key, string());
            case "endswith":
                return new Selector.EndsWith(key, string());
            case "ends":
                secondWord("with", "expected \"with\" after \"ends\"");
                return new Selector.EndsWith(key, string());
            default:
                throw error(OPERATORS, start);
        }
    }

    private void secondWord(String expected, String message) throws SelectorException {
        skipSpace();
        int start = pos;
        if (!word().equals(expected)) {
            throw error(message, start);
        }
    }

    private String string() throws SelectorException {
        skipSpace();
        int start = pos;
        char quote = peek();
        if (quote != '"' && quote != '\'') {
            throw error("expected a string in '…' or \"…\"", start);
        }
        int end = text.indexOf(quote, pos + 1);
        if (end < 0) {
            throw error("unterminated string", start);
        }
        pos = end + 1;
        return text.substring(start + 1, end);
    }

    private List<String> set() throws SelectorException {
        skipSpace();
        expect('{', "expected \"{\"");
        List<String> values = new ArrayList<>();
        skipSpace();
        if (peek() == '}') {
            pos++;
            return values;
        }
        while (true) {
            values.add(string());
            skipSpace();
            if (peek() == ',') {
                pos++;
                // libcalico-go's parseOperation leaves the loop at any token after a comma that is no string.
                skipSpace();
                if (peek() == '}') {
                    pos++;
                    return values;
                }
            } else if (peek() == '}') {
                pos++;
                return values;
            } else {
                throw error("expected \",\" or \"}\"", pos);
            }
        }
    }

    private String key() {
        int start = pos;
        while (isKeyChar(peek())) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private String checkedKey(String key, int start) throws SelectorException {
        if (key.length() > Selector.MAX_KEY_LENGTH) {
            throw error("label key longer than " + Selector.MAX_KEY_LENGTH + " characters", start);
        }
        return key;
    }

    private String word() {
        int start = pos;
        while (pos < text.length() && (Character.isLetter(text.charAt(pos)))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private void expect(char c, String message) throws SelectorException {
        if (peek() != c) {
            throw error(message, pos);
        }
        pos++;
    }

    /** libcalico-go's trimWhitespace: space and tab. Always true, so that it can lead a loop condition. */
    private boolean skipSpace() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            pos++;
        }
        return true;
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private static boolean isKeyChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '/' || c == '-';
    }

    private SelectorException error(String reason, int at) {
        return new SelectorException(at >= text.length() ? reason + " (end of selector)" : reason, at + 1);
    }
}
