package io.routereflector.daemon;

import io.routereflector.daemon.birdctl.BirdTimeFormat;
import io.routereflector.wire.nlri.AddressFamily;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BirdSocketOptionsTest {

    private static BirdSocketOptions parse(String... args) {
        RunCommand run = new RunCommand();
        new picocli.CommandLine(run).parseArgs(args);
        return run.ops.birdSockets;
    }

    @Test
    void offUnlessAPathIsGiven() throws Exception {
        assertEquals(Map.of(), parse().sockets(new Environment(Map.of())));
        assertEquals(BirdTimeFormat.UNIX, parse().timeFormat(new Environment(Map.of())));
    }

    @Test
    void pathsFromFlagsOrEnvironmentAndCalicoctlsFixedPaths() throws Exception {
        Environment env = new Environment(Map.of("BIRD_SOCKET", "/sockets/bird.ctl", "BIRD6_SOCKET", "/sockets/bird6.ctl",
                "CALICOCTL_SOCKETS", "true", "BIRD_TIMEFORMAT", "iso-long"));
        Map<Path, AddressFamily> expected = new LinkedHashMap<>();
        expected.put(Path.of("/sockets/bird.ctl"), AddressFamily.IPV4_UNICAST);
        expected.put(Path.of("/sockets/bird6.ctl"), AddressFamily.IPV6_UNICAST);
        expected.put(Path.of("/var/run/calico/bird.ctl"), AddressFamily.IPV4_UNICAST);
        expected.put(Path.of("/var/run/calico/bird6.ctl"), AddressFamily.IPV6_UNICAST);
        assertEquals(expected, parse().sockets(env));
        assertEquals(BirdTimeFormat.ISO_LONG, parse().timeFormat(env));
        // Flags win over the environment; 'off' turns one off.
        BirdSocketOptions flags = parse("--bird-socket", "/run/a.ctl", "--bird6-socket", "off", "--no-calicoctl-sockets",
                "--bird-timeformat", "iso-short");
        assertEquals(Map.of(Path.of("/run/a.ctl"), AddressFamily.IPV4_UNICAST), flags.sockets(env));
        assertEquals(BirdTimeFormat.ISO_SHORT, flags.timeFormat(env));
    }

    @Test
    void badValuesAreRefusedWithAMessage() {
        Environment none = new Environment(Map.of());
        assertTrue(assertThrows(DaemonOptions.ConfigError.class, () -> parse("--bird-socket", "bird.ctl").sockets(none))
                .getMessage().contains("absolute path"));
        assertTrue(assertThrows(DaemonOptions.ConfigError.class, () -> parse("--bird-socket", "/a", "--bird6-socket", "/a").sockets(none))
                .getMessage().contains("same path"));
        assertTrue(assertThrows(DaemonOptions.ConfigError.class, () -> parse().sockets(new Environment(Map.of("CALICOCTL_SOCKETS", "maybe"))))
                .getMessage().contains("expected true or false"));
        assertTrue(assertThrows(DaemonOptions.ConfigError.class, () -> parse("--bird-timeformat", "%s").timeFormat(none))
                .getMessage().contains("iso-short"));
    }
}
