package io.routereflector.datastore.selector;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Combinators;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SelectorProperties {

    private static final List<String> KEYS = List.of("a", "b", "role", "example.com/rack", "has", "all", "in", "x_y-z.1");
    private static final List<String> VALUES = List.of("", "v", "vv", "prod", "production", "p\"q", "it's", "a b");

    @Property(tries = 1000)
    void printingAndParsingGivesTheSameTree(@ForAll("selectors") Selector s) throws SelectorException {
        assertEquals(s, SelectorParser.parse(s.toString()), s.toString());
    }

    @Property(tries = 1000)
    void extraSpacesAndParenthesesDoNotChangeTheTree(@ForAll("selectors") Selector s) throws SelectorException {
        String spaced = "  ( " + s.toString().replace(" ", "  \t") + " )  ";
        // Spaces inside quoted values must stay: only values without spaces are affected by the replace.
        if (!s.toString().contains("a b")) {
            assertEquals(s, SelectorParser.parse(spaced), spaced);
        }
    }

    /** libcalico-go's parseOperation leaves a set at the first token after a comma that is no string: "{…,}" is the same set. */
    @Property(tries = 1000)
    void aTrailingCommaInASetChangesNothing(@ForAll("selectors") Selector s) throws SelectorException {
        String text = s.toString();
        String trailing = text.replaceAll("(['\"]) ?}", "$1, }").replaceAll("(['\"])}", "$1,}");
        assertEquals(s, SelectorParser.parse(trailing), trailing);
    }

    /**
     * libcalico-go's trimWhitespace skips space and tab only: a selector with a newline or carriage return
     * between its tokens (a YAML block scalar's line break) does not parse there, so it matches nothing —
     * here too, never a different set of nodes.
     */
    @Property(tries = 1000)
    void aLineBreakBetweenTokensIsAnError(@ForAll("selectors") Selector s, @ForAll("lineBreaks") String lineBreak) {
        String text = s.toString();
        if (text.contains("a b")) {
            return; // the only value with a space: the break would land inside a string
        }
        for (String broken : List.of(text + lineBreak, lineBreak + text, text.replaceFirst(" ", lineBreak))) {
            if (broken.equals(text)) {
                continue;
            }
            assertThrows(SelectorException.class, () -> SelectorParser.parse(broken), broken.replace("\n", "\\n"));
        }
    }

    @Provide
    Arbitrary<String> lineBreaks() {
        return Arbitraries.of("\n", "\r", "\r\n", " \n", "\n\t");
    }

    @Property(tries = 2000)
    void evaluationAgreesWithTheReference(@ForAll("selectors") Selector s, @ForAll("labelSets") Map<String, String> labels)
            throws SelectorException {
        Selector parsed = SelectorParser.parse(s.toString());
        assertEquals(reference(s, labels), parsed.evaluate(labels), s + " on " + labels);
    }

    /** A second, deliberately plain evaluator: Calico's documented meaning of each operator. */
    private static boolean reference(Selector s, Map<String, String> l) {
        if (s instanceof Selector.All || s instanceof Selector.Global) {
            return true;
        }
        if (s instanceof Selector.Has h) {
            return l.get(h.key()) != null;
        }
        if (s instanceof Selector.Equals e) {
            return l.containsKey(e.key()) && l.get(e.key()).compareTo(e.value()) == 0;
        }
        if (s instanceof Selector.NotEquals e) {
            return !l.containsKey(e.key()) || l.get(e.key()).compareTo(e.value()) != 0;
        }
        if (s instanceof Selector.In i) {
            return l.containsKey(i.key()) && i.values().stream().anyMatch(v -> v.equals(l.get(i.key())));
        }
        if (s instanceof Selector.NotIn i) {
            return !l.containsKey(i.key()) || i.values().stream().noneMatch(v -> v.equals(l.get(i.key())));
        }
        if (s instanceof Selector.Contains c) {
            return l.containsKey(c.key()) && l.get(c.key()).indexOf(c.value()) >= 0;
        }
        if (s instanceof Selector.StartsWith c) {
            return l.containsKey(c.key()) && l.get(c.key()).regionMatches(0, c.value(), 0, c.value().length());
        }
        if (s instanceof Selector.EndsWith c) {
            String v = l.get(c.key());
            return v != null && v.length() >= c.value().length() && v.substring(v.length() - c.value().length()).equals(c.value());
        }
        if (s instanceof Selector.Not n) {
            return !reference(n.operand(), l);
        }
        if (s instanceof Selector.And a) {
            boolean r = true;
            for (Selector o : a.operands()) {
                r &= reference(o, l);
            }
            return r;
        }
        boolean r = false;
        for (Selector o : ((Selector.Or) s).operands()) {
            r |= reference(o, l);
        }
        return r;
    }

    @Provide
    Arbitrary<Map<String, String>> labelSets() {
        return Arbitraries.maps(Arbitraries.of(KEYS), Arbitraries.of(VALUES)).ofMaxSize(5);
    }

    @Provide
    Arbitrary<Selector> selectors() {
        return tree(4);
    }

    private Arbitrary<Selector> tree(int depth) {
        Arbitrary<String> key = Arbitraries.of(KEYS);
        Arbitrary<String> value = Arbitraries.of(VALUES);
        Arbitrary<List<String>> values = value.list().ofMaxSize(3);
        Arbitrary<Selector> leaf = Arbitraries.oneOf(
                Arbitraries.just(new Selector.All()),
                Arbitraries.just(new Selector.Global()),
                key.map(Selector.Has::new),
                Combinators.combine(key, value).as(Selector.Equals::new),
                Combinators.combine(key, value).as(Selector.NotEquals::new),
                Combinators.combine(key, values).as(Selector.In::new),
                Combinators.combine(key, values).as(Selector.NotIn::new),
                Combinators.combine(key, value).as(Selector.Contains::new),
                Combinators.combine(key, value).as(Selector.StartsWith::new),
                Combinators.combine(key, value).as(Selector.EndsWith::new));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Selector> sub = Arbitraries.lazy(() -> tree(depth - 1));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, leaf),
                net.jqwik.api.Tuple.of(1, sub.map(Selector.Not::new)),
                net.jqwik.api.Tuple.of(1, sub.list().ofMinSize(2).ofMaxSize(3).map(Selector.And::new)),
                net.jqwik.api.Tuple.of(1, sub.list().ofMinSize(2).ofMaxSize(3).map(Selector.Or::new)));
    }
}
