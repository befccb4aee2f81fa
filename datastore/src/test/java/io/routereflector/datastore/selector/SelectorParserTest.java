package io.routereflector.datastore.selector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelectorParserTest {

    /** "k=v,k2=v2" → labels; "-" = none. */
    private static Map<String, String> labels(String spec) {
        Map<String, String> m = new HashMap<>();
        if (!spec.equals("-")) {
            for (String kv : spec.split(",")) {
                int eq = kv.indexOf('=');
                m.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return m;
    }

    /** The operator table and the precedence example of Calico's selector documentation, plus the BGP guides' selectors. */
    @ParameterizedTest(name = "{0} on {1} = {2}")
    @CsvSource(delimiter = ';', value = {
        "all()                                  ; -                     ; true",
        "!all()                                 ; a=b                   ; false",
        "global()                               ; -                     ; true",
        "''                                     ; x=y                   ; true",
        "k == 'v'                               ; k=v                   ; true",
        "k == 'v'                               ; k=w                   ; false",
        "k == 'v'                               ; -                     ; false",
        "k != 'v'                               ; k=w                   ; true",
        "k != 'v'                               ; -                     ; true",
        "k != 'v'                               ; k=v                   ; false",
        "has(k)                                 ; k=                    ; true",
        "has(k)                                 ; j=k                   ; false",
        "!has(k)                                ; j=k                   ; true",
        "k in { 'v1', 'v2' }                    ; k=v2                  ; true",
        "k in { 'v1', 'v2' }                    ; k=v3                  ; false",
        "k in { 'v1', 'v2' }                    ; -                     ; false",
        "k not in { 'v1', 'v2' }                ; -                     ; true",
        "k not in { 'v1', 'v2' }                ; k=v1                  ; false",
        "k not in { 'v1', 'v2' }                ; k=v3                  ; true",
        "k in { 'v1', 'v2', }                   ; k=v2                  ; true",
        "k in {'v1',}                           ; k=v1                  ; true",
        "k not in {'v1',}                       ; k=v1                  ; false",
        "'\tk == \t''v'' '                      ; k=v                   ; true",
        "k contains 's'                         ; k=asd                 ; true",
        "k contains 's'                         ; k=abc                 ; false",
        "k starts with 's'                      ; k=sun                 ; true",
        "k starts with 's'                      ; k=ass                 ; false",
        "k ends with 's'                        ; k=ass                 ; true",
        "k ends with 's'                        ; -                     ; false",
        "! has(my-label) || my-label starts with 'prod' && role in {'frontend','business'} ; -                             ; true",
        "! has(my-label) || my-label starts with 'prod' && role in {'frontend','business'} ; my-label=production,role=business ; true",
        "! has(my-label) || my-label starts with 'prod' && role in {'frontend','business'} ; my-label=production,role=db      ; false",
        "! has(my-label) || my-label starts with 'prod' && role in {'frontend','business'} ; my-label=dev,role=frontend       ; false",
        "has(route-reflector)                   ; route-reflector=true  ; true",
        "route-reflector == 'true'              ; route-reflector=true  ; true",
        "rack == 'rack-1'                       ; rack=rack-2           ; false",
        "example.com/key == \"x\"               ; example.com/key=x     ; true",
        "has(example.com/key)                   ; example.com/other=x   ; false",
        "!!has(a)                               ; a=1                   ; true",
        "(a == '1' || b == '2') && c == '3'     ; b=2,c=3               ; true",
        "a == '1' || b == '2' && c == '3'       ; a=1                   ; true",
        "!(a == '1' || b == '2')                ; b=2                   ; false",
        "k notin {'a'}                          ; k=b                   ; true",
        "k startswith 'a'                       ; k=ab                  ; true",
        "has ==  'x'                            ; has=x                 ; true",
        "all == 'x'                             ; all=x                 ; true",
    })
    void documentedExamples(String selector, String labels, boolean expected) throws SelectorException {
        assertEquals(expected, SelectorParser.parse(selector).evaluate(labels(labels)), selector);
    }

    @Test
    void precedenceFollowsTheDocumentedBracketing() throws SelectorException {
        Selector s = SelectorParser.parse("! has(my-label) || my-label starts with 'prod' && role in {'frontend','business'}");
        Selector expected = new Selector.Or(List.of(
                new Selector.Not(new Selector.Has("my-label")),
                new Selector.And(List.of(new Selector.StartsWith("my-label", "prod"),
                        new Selector.In("role", List.of("frontend", "business"))))));
        assertEquals(expected, s);
        assertEquals("!has(my-label) || my-label starts with \"prod\" && role in {\"frontend\", \"business\"}", s.toString());
    }

    @Test
    void emptyAndBlankMeanAll() throws SelectorException {
        assertEquals(new Selector.All(), SelectorParser.parse(""));
        assertEquals(new Selector.All(), SelectorParser.parse("  \t"));
        assertEquals(new Selector.All(), SelectorParser.parse(null));
    }

    @Test
    void quotesAreChosenSoThatTheValuePrints() throws SelectorException {
        Selector s = SelectorParser.parse("a == 'say \"hi\"'");
        assertEquals(new Selector.Equals("a", "say \"hi\""), s);
        assertEquals("a == 'say \"hi\"'", s.toString());
        assertEquals(s, SelectorParser.parse(s.toString()));
        assertThrows(IllegalArgumentException.class, () -> new Selector.Equals("a", "both ' and \""));
    }

    @ParameterizedTest(name = "{0} → column {1}")
    @CsvSource(delimiter = ';', value = {
        "a = 'b'               ; 3  ; expected \"==\", \"!=\", \"in\", \"not in\", \"contains\", \"starts with\" or \"ends with\"",
        "has(a) && b foo 'x'   ; 13 ; expected \"==\", \"!=\", \"in\", \"not in\", \"contains\", \"starts with\" or \"ends with\"",
        "a == b                ; 6  ; expected a string",
        "a == 'b               ; 6  ; unterminated string",
        "a in {'x' 'y'}        ; 11 ; expected \",\" or \"}\"",
        "a in 'x'              ; 6  ; expected \"{\"",
        "(a == 'x'             ; 10 ; expected \")\"",
        "a == 'x')             ; 9  ; expected \"&&\", \"||\" or the end",
        "a == 'x' &&           ; 12 ; expected a label key",
        "&& a == 'x'           ; 1  ; expected a label key",
        "has()                 ; 5  ; expected a label key",
        "has(a b)              ; 7  ; expected \")\"",
        "a not 'x'             ; 7  ; expected \"in\" after \"not\"",
        "a starts 'x'          ; 10 ; expected \"with\" after \"starts\"",
        "all(x)                ; 5  ; expected \")\" after \"all(\"",
        "a == 'x' & b == 'y'   ; 10 ; expected \"&&\", \"||\" or the end",
        "a ==                  ; 5  ; expected a string",
        "a@b == 'x'            ; 2  ; expected \"==\"",
    })
    void errorsPointAtTheOffendingColumn(String selector, int column, String reason) {
        SelectorException e = assertThrows(SelectorException.class, () -> SelectorParser.parse(selector.strip()));
        assertEquals(column, e.column(), e.getMessage());
        assertTrue(e.getMessage().startsWith(reason), e.getMessage());
        assertTrue(e.getMessage().endsWith("at column " + column), e.getMessage());
    }

    @Test
    void keysAreLimitedTo512Characters() throws SelectorException {
        String ok = "k".repeat(512);
        assertEquals(new Selector.Has(ok), SelectorParser.parse("has(" + ok + ")"));
        SelectorException e = assertThrows(SelectorException.class, () -> SelectorParser.parse("has(x) && " + ok + "k == 'v'"));
        assertEquals(11, e.column());
        assertTrue(e.getMessage().contains("longer than 512"));
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        SelectorException e = assertThrows(SelectorException.class, () -> SelectorParser.parse("(".repeat(10_000) + "has(a)"));
        assertTrue(e.getMessage().contains("nests deeper"), e.getMessage());
        assertThrows(SelectorException.class, () -> SelectorParser.parse("!".repeat(10_000) + "has(a)"));
    }

    /**
     * libcalico-go's tokenizer ({@code trimWhitespace}: space and tab) and parser ({@code parseOperation}'s set
     * loop): a line break is no whitespace, a set may end in a comma but not start with one or hold two.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "'k == \'v\'\n'",
        "'\nall()'",
        "'k ==\r\n\'v\''",
        "'k\nin {\'v\'}'",
        "'k in {,}'",
        "'k in {,\'v\'}'",
        "'k in {\'v\',,}'",
    })
    void whatCalicoRefusesIsRefused(String text) {
        assertThrows(SelectorException.class, () -> SelectorParser.parse(text), text);
    }
}
