package io.routereflector.testbed.golden;

import io.routereflector.testbed.BirdPeer;
import io.routereflector.testbed.FrrPeer;
import io.routereflector.testbed.GobgpPeer;
import io.routereflector.testbed.Host;
import io.routereflector.testbed.PeerConfig;
import io.routereflector.testbed.StaticRoute;
import io.routereflector.testbed.Testbed;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The real peers whose messages are the codec's golden bytes: each a Calico-like node (AS 64512,
 * multihop, graceful restart) with a few /26 (IPv6 /122) blocks, dialing the capture speaker at
 * 198.51.100.1 / 2001:db8::1. Captured again live in every build by {@code GoldenLiveIT}.
 */
public enum GoldenScenario {
    BIRD16_IPV4("bird1.6", false, 61),
    BIRD16_IPV6("bird1.6", true, 62),
    BIRD2_IPV4("bird2", false, 63),
    BIRD2_IPV6("bird2", true, 64),
    GOBGP_IPV4("gobgp", false, 65),
    GOBGP_IPV6("gobgp", true, 66),
    FRR_IPV4("frr", false, 67),
    FRR_IPV6("frr", true, 68);

    private static final Duration ACCEPT_WITHIN = Duration.ofSeconds(30);
    private static final Duration CAPTURE_LIMIT = Duration.ofSeconds(30);

    private final String implementation;
    private final boolean ipv6;
    private final int hostNumber;

    GoldenScenario(String implementation, boolean ipv6, int hostNumber) {
        this.implementation = implementation;
        this.ipv6 = ipv6;
        this.hostNumber = hostNumber;
    }

    public boolean ipv6() {
        return ipv6;
    }

    /** The golden file's name: {@code <impl>-<family>.hex}. */
    public String fileName() {
        return implementation + "-" + (ipv6 ? "ipv6" : "ipv4") + ".hex";
    }

    /**
     * Routes with the attributes a codec must carry: BIRD gets communities and large communities on
     * some of its static blocks, GoBGP and FRR also an extended community (route target) and a MED.
     */
    List<StaticRoute> routes() {
        int n = hostNumber;
        if (ipv6) {
            return List.of(
                    StaticRoute.of("fd00:10:" + n + "::/122"),
                    StaticRoute.of("fd00:10:" + n + "::40/122").withCommunities("64512:100", "65535:65281"),
                    StaticRoute.of("fd00:10:" + n + "::80/122").withLargeCommunities("64512:1:" + n)
                            .withRouteTargets(setsMore() ? new String[] {"64512:10"} : new String[0])
                            .withMed(setsMore() ? 20 : -1));
        }
        return List.of(
                StaticRoute.of("10." + n + ".0.0/26"),
                StaticRoute.of("10." + n + ".0.64/26").withCommunities("64512:100", "65535:65281"),
                StaticRoute.of("10." + n + ".0.128/26").withLargeCommunities("64512:1:" + n)
                        .withRouteTargets(setsMore() ? new String[] {"64512:10"} : new String[0])
                        .withMed(setsMore() ? 20 : -1),
                StaticRoute.of("10." + n + ".1.0/26"));
    }

    private boolean gobgp() {
        return implementation.equals("gobgp");
    }

    private boolean frr() {
        return implementation.equals("frr");
    }

    /** GoBGP and FRR can put route targets and a MED on a route; the BIRD configs here do not. */
    private boolean setsMore() {
        return gobgp() || frr();
    }

    /**
     * Starts the peer in a new host of {@code testbed}, captures what it sends to a capture speaker
     * on the testbed's reflector address, and stops the peer.
     */
    public GoldenFile capture(Testbed testbed) {
        Host host = testbed.host(hostNumber);
        PeerConfig config = PeerConfig.calicoNode(host, ipv6, routes().toArray(StaticRoute[]::new));
        String address = ipv6 ? Testbed.REFLECTOR_IPV6 : Testbed.REFLECTOR_IPV4;
        try (CaptureSpeaker speaker = CaptureSpeaker.listen(address, ipv6)) {
            String version;
            String configText;
            Runnable stopPeer;
            if (frr()) {
                FrrPeer frr = FrrPeer.start(host, config.withListen(false));
                stopPeer = frr::stop;
                version = frr.versionString();
                configText = withRoutes(frr.configText(), "routes (network statements, route-maps above):", config);
            } else if (gobgp()) {
                GobgpPeer gobgp = GobgpPeer.start(host, config.withListen(false));
                stopPeer = gobgp::stop;
                version = gobgp.versionString();
                configText = withRoutes(gobgp.configText(), "routes (gobgp global rib add):", config);
            } else {
                BirdPeer bird = BirdPeer.start(host, implementation.equals("bird2") ? BirdPeer.Version.BIRD2
                        : BirdPeer.Version.BIRD16, config);
                stopPeer = bird::stop;
                version = bird.versionString();
                configText = bird.configText();
            }
            try {
                CaptureSpeaker.Capture capture;
                try {
                    capture = speaker.capture(ACCEPT_WITHIN, CAPTURE_LIMIT);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\n" + testbed.diagnostics(), e);
                }
                return new GoldenFile(implementation, version, ipv6, LocalDate.now(ZoneOffset.UTC).toString(),
                        capture.fourOctetAs(), capture.addPath(), capture.endOfRib(), configText,
                        capture.messages());
            } finally {
                stopPeer.run();
            }
        }
    }

    /** The peer's config, then its routes one per line as {@link StaticRoute} prints them (GoldenFilesTest reads them). */
    private static String withRoutes(String configText, String title, PeerConfig config) {
        StringBuilder text = new StringBuilder(configText).append('\n').append(title).append('\n');
        for (StaticRoute route : config.routes()) {
            text.append("  ").append(route).append('\n');
        }
        return text.toString();
    }
}
