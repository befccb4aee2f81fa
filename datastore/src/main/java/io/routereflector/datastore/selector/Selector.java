package io.routereflector.datastore.selector;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A parsed Calico label selector (libcalico-go's selector language). {@link #toString()} is canonical:
 * {@code SelectorParser.parse(s.toString()).equals(s)} for every tree, with the fewest parentheses the
 * precedence {@code ||} &lt; {@code &&} &lt; {@code !} allows. {@code &&} and {@code ||} chains are n-ary;
 * a parenthesised chain stays a separate operand, so the tree mirrors the text.
 */
public sealed interface Selector permits Selector.All, Selector.Global, Selector.Has, Selector.Equals, Selector.NotEquals,
        Selector.In, Selector.NotIn, Selector.Contains, Selector.StartsWith, Selector.EndsWith, Selector.Not, Selector.And,
        Selector.Or {

    /** libcalico-go's LabelKeyMatcher: keys may carry a prefix such as {@code example.com/key}. */
    int MAX_KEY_LENGTH = 512;
    Pattern KEY = Pattern.compile("[A-Za-z0-9_./-]{1," + MAX_KEY_LENGTH + "}");

    boolean evaluate(Map<String, String> labels);

    /** Matches everything; also what an empty selector means. */
    record All() implements Selector {
        @Override public boolean evaluate(Map<String, String> labels) { return true; }
        @Override public String toString() { return "all()"; }
    }

    /** Non-namespaced resources; every Node and label set here is global, so always true (as in libcalico-go). */
    record Global() implements Selector {
        @Override public boolean evaluate(Map<String, String> labels) { return true; }
        @Override public String toString() { return "global()"; }
    }

    record Has(String key) implements Selector {
        public Has { checkKey(key); }
        @Override public boolean evaluate(Map<String, String> labels) { return labels.containsKey(key); }
        @Override public String toString() { return "has(" + key + ")"; }
    }

    record Equals(String key, String value) implements Selector {
        public Equals { checkKey(key); checkValue(value); }
        @Override public boolean evaluate(Map<String, String> labels) { return value.equals(labels.get(key)); }
        @Override public String toString() { return key + " == " + quote(value); }
    }

    /** True when the label is absent, as documented by Calico. */
    record NotEquals(String key, String value) implements Selector {
        public NotEquals { checkKey(key); checkValue(value); }
        @Override public boolean evaluate(Map<String, String> labels) { return !value.equals(labels.get(key)); }
        @Override public String toString() { return key + " != " + quote(value); }
    }

    /** The values keep their written order (and repeats) so that the tree mirrors the text. */
    record In(String key, List<String> values) implements Selector {
        public In { checkKey(key); values = List.copyOf(values); values.forEach(Selector::checkValue); }
        @Override public boolean evaluate(Map<String, String> labels) {
            String v = labels.get(key);
            return v != null && values.contains(v);
        }
        @Override public String toString() { return key + " in " + set(values); }
    }

    /** True when the label is absent, as documented by Calico. */
    record NotIn(String key, List<String> values) implements Selector {
        public NotIn { checkKey(key); values = List.copyOf(values); values.forEach(Selector::checkValue); }
        @Override public boolean evaluate(Map<String, String> labels) {
            String v = labels.get(key);
            return v == null || !values.contains(v);
        }
        @Override public String toString() { return key + " not in " + set(values); }
    }

    record Contains(String key, String value) implements Selector {
        public Contains { checkKey(key); checkValue(value); }
        @Override public boolean evaluate(Map<String, String> labels) {
            String v = labels.get(key);
            return v != null && v.contains(value);
        }
        @Override public String toString() { return key + " contains " + quote(value); }
    }

    record StartsWith(String key, String value) implements Selector {
        public StartsWith { checkKey(key); checkValue(value); }
        @Override public boolean evaluate(Map<String, String> labels) {
            String v = labels.get(key);
            return v != null && v.startsWith(value);
        }
        @Override public String toString() { return key + " starts with " + quote(value); }
    }

    record EndsWith(String key, String value) implements Selector {
        public EndsWith { checkKey(key); checkValue(value); }
        @Override public boolean evaluate(Map<String, String> labels) {
            String v = labels.get(key);
            return v != null && v.endsWith(value);
        }
        @Override public String toString() { return key + " ends with " + quote(value); }
    }

    record Not(Selector operand) implements Selector {
        public Not { Objects.requireNonNull(operand, "operand"); }
        @Override public boolean evaluate(Map<String, String> labels) { return !operand.evaluate(labels); }
        @Override public String toString() {
            // "!" binds tighter than "&&" and "||": their chains need parentheses under it.
            return "!" + (operand instanceof And || operand instanceof Or ? "(" + operand + ")" : operand.toString());
        }
    }

    record And(List<Selector> operands) implements Selector {
        public And { operands = checkOperands(operands, "&&"); }
        @Override public boolean evaluate(Map<String, String> labels) {
            for (Selector s : operands) {
                if (!s.evaluate(labels)) {
                    return false;
                }
            }
            return true;
        }
        @Override public String toString() {
            StringBuilder sb = new StringBuilder();
            for (Selector s : operands) {
                if (sb.length() > 0) {
                    sb.append(" && ");
                }
                // A nested chain was parenthesised in the text; an "||" would otherwise bind looser.
                sb.append(s instanceof And || s instanceof Or ? "(" + s + ")" : s.toString());
            }
            return sb.toString();
        }
    }

    record Or(List<Selector> operands) implements Selector {
        public Or { operands = checkOperands(operands, "||"); }
        @Override public boolean evaluate(Map<String, String> labels) {
            for (Selector s : operands) {
                if (s.evaluate(labels)) {
                    return true;
                }
            }
            return false;
        }
        @Override public String toString() {
            StringBuilder sb = new StringBuilder();
            for (Selector s : operands) {
                if (sb.length() > 0) {
                    sb.append(" || ");
                }
                sb.append(s instanceof Or ? "(" + s + ")" : s.toString());
            }
            return sb.toString();
        }
    }

    private static void checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("label key " + (key == null ? "null" : "'" + key + "'")
                    + " is not 1.." + MAX_KEY_LENGTH + " characters of [A-Za-z0-9_./-]");
        }
    }

    /** The language has no escapes: a value can be quoted only if it lacks one of the two quote characters. */
    private static void checkValue(String value) {
        Objects.requireNonNull(value, "value");
        if (value.indexOf('"') >= 0 && value.indexOf('\'') >= 0) {
            throw new IllegalArgumentException("a selector string cannot hold both ' and \" (there are no escapes)");
        }
    }

    private static List<Selector> checkOperands(List<Selector> operands, String op) {
        List<Selector> copy = List.copyOf(operands);
        if (copy.size() < 2) {
            throw new IllegalArgumentException("\"" + op + "\" needs at least two operands, got " + copy.size());
        }
        return copy;
    }

    private static String quote(String value) {
        return value.indexOf('"') >= 0 ? "'" + value + "'" : "\"" + value + "\"";
    }

    private static String set(List<String> values) {
        StringBuilder sb = new StringBuilder("{");
        for (String v : values) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(quote(v));
        }
        return sb.append('}').toString();
    }
}
