package io.routereflector.daemon;

import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.ReflectorConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The session flags reach every derived peer; Calico's BGPPeer has no field for them. */
class SessionFlagsTest {

    private static PeerConfig overridden(String... args) throws Exception {
        DaemonOptions options = new DaemonOptions();
        new CommandLine(options).parseArgs(args);
        ReflectorConfig derived = ReflectorConfig.of((Inet4Address) InetAddress.getByName("10.0.0.1"), 64512, List.of(), 179,
                List.of(PeerConfig.builder(InetAddress.getByName("10.0.0.2"), 64512).build()));
        return options.override(derived).peers().get(0);
    }

    @Test
    void defaultsAdvertiseExtendedMessagesWithoutDelayOpenOrDamping() throws Exception {
        PeerConfig p = overridden();
        assertTrue(p.extendedMessages());
        assertEquals(0, p.delayOpenTime());
        assertFalse(p.dampPeerOscillations());
        assertFalse(p.passive(), "a reflector dials: Calico nodes are passive toward higher addresses");
    }

    @Test
    void flagsApplyToEveryPeer() throws Exception {
        PeerConfig p = overridden("--no-extended-messages", "--delay-open-time", "5", "--damp-peer-oscillations", "--passive");
        assertFalse(p.extendedMessages());
        assertEquals(5, p.delayOpenTime());
        assertTrue(p.dampPeerOscillations());
        assertTrue(p.passive());
    }

    @Test
    void aDelayOpenBeyondTheLargeHoldTimeIsRefused() {
        DaemonOptions.ConfigError e = assertThrows(DaemonOptions.ConfigError.class, () -> overridden("--delay-open-time", "241"));
        assertTrue(e.getMessage().contains("--delay-open-time 241"), e.getMessage());
    }
}
