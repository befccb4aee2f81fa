package io.routereflector.daemon.ops;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The test parser must accept the format and refuse what Prometheus refuses, or the IT proves nothing. */
class PrometheusTextTest {

    @Test
    void parsesFamiliesLabelsEscapesAndSpecialValues() {
        Map<String, PrometheusText.Family> f = PrometheusText.parse("""
                # HELP up Whether it is up\\nreally
                # TYPE up gauge
                up{name="a\\"b",path="c:\\\\d"} 1.0
                up{name="x"} +Inf 1700000000000
                # TYPE lat histogram
                lat_bucket{le="0.1"} 1.0
                lat_bucket{le="+Inf"} 3.0
                lat_count 3.0
                lat_sum 0.5
                other NaN
                """);
        assertEquals("gauge", f.get("up").type());
        assertEquals("Whether it is up\nreally", f.get("up").help());
        assertEquals(1.0, PrometheusText.value(f, "up", Map.of("name", "a\"b", "path", "c:\\d")));
        assertEquals(Double.POSITIVE_INFINITY, PrometheusText.value(f, "up", Map.of("name", "x")));
        assertEquals(4, f.get("lat").samples().size());
        assertEquals("untyped", f.get("other").type());
    }

    @Test
    void refusesWhatPrometheusRefuses() {
        assertThrows(RuntimeException.class, () -> PrometheusText.parse("bad-name 1\n"));
        assertThrows(RuntimeException.class, () -> PrometheusText.parse("m{a=\"1\",a=\"2\"} 1\n"));
        assertThrows(RuntimeException.class, () -> PrometheusText.parse("m{a=\"\\x\"} 1\n"));
        assertThrows(RuntimeException.class, () -> PrometheusText.parse("m{a=1} 1\n"));
        assertThrows(RuntimeException.class, () -> PrometheusText.parse("m one\n"));
        assertThrows(RuntimeException.class, () -> PrometheusText.parse("m 1\n# TYPE m gauge\n"));
        assertThrows(RuntimeException.class, () -> PrometheusText.parse("a 1\nb 1\na{x=\"1\"} 1\n"));
        assertThrows(RuntimeException.class, () -> PrometheusText.parse("m 1\nm 2\n"));
        assertThrows(RuntimeException.class, () -> PrometheusText.parse(
                "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n"));
        assertThrows(RuntimeException.class, () -> PrometheusText.parse(
                "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_count 3\n"));
    }
}
