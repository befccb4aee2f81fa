package io.routereflector.daemon;

import io.routereflector.testbed.BirdPeer;
import io.routereflector.testbed.BirdProtocol;
import io.routereflector.testbed.FrrPeer;
import io.routereflector.testbed.GobgpPeer;
import io.routereflector.testbed.Host;
import io.routereflector.testbed.PeerConfig;
import io.routereflector.testbed.PeerRoute;
import io.routereflector.testbed.StaticRoute;
import io.routereflector.testbed.Testbed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stop, restart and decommission of the daemon (a process from the jar, file datastore) as real
 * graceful-restart capable Calico-like clients see them: BIRD 2, GoBGP, the BIRD 1.6 of Calico nodes and
 * FRR 8.4, each announcing one route.
 * <ol>
 *   <li>SIGTERM: the sessions close without a NOTIFICATION, so every client keeps what it learned through
 *       us as stale (RFC 4724 §4.2) instead of dropping it.</li>
 *   <li>A new start within the restart time finds the restart marker, advertises the R bit and holds its
 *       table until the clients' End-of-RIBs are in: the clients never lose a route across the restart,
 *       and afterwards hold them fresh again over Established sessions.</li>
 *   <li>{@code routereflector shutdown --message}: Cease / Administrative Shutdown with the RFC 9003
 *       message, which BIRD shows; no graceful restart for that, so the routes go at once.</li>
 * </ol>
 */
@Timeout(150)
class DaemonRestartRealPeersIT {

    static final String RR = Testbed.REFLECTOR_IPV4;
    static final String MESSAGE = "maintenance window 42";
    static final Duration UP = Duration.ofSeconds(30);
    /** How long the clients must keep our routes after the stop before we start again. */
    static final Duration HELD = Duration.ofSeconds(4);

    static final String BIRD2 = "BIRD 2";
    static final String GOBGP = "GoBGP";
    static final String BIRD16 = "BIRD 1.6";
    static final String FRR = "FRR";

    @AfterEach
    void nothingLeftBehind() {
        assertEquals(List.of(), Testbed.namespaces(), "namespaces left behind");
    }

    /** One client: its own prefix, and how to read what it learned from the reflector. */
    private record Client(String label, String prefix, Supplier<List<PeerRoute>> fromReflector, Supplier<String> raw) {
        Set<String> prefixes() {
            Set<String> out = new TreeSet<>();
            fromReflector.get().forEach(r -> out.add(r.prefix()));
            return out;
        }
    }

    @Test
    void sigtermKeepsTheRoutesARestartRefreshesThemAndAShutdownWithdrawsThem() throws Exception {
        long waited = System.nanoTime();
        try (Testbed testbed = Testbed.start()) {
            long began = System.nanoTime();
            System.out.printf("testbed ready after %d ms (the testbed lock serialises real-peer tests)%n", (began - waited) / 1_000_000);
            Host h2 = testbed.host(61);
            Host hg = testbed.host(62);
            Host h16 = testbed.host(63);
            Host hf = testbed.host(64);
            Path dir = Files.createDirectories(testbed.workDir().resolve("calico"));
            DaemonFileIT.write(dir.resolve("cluster.yaml"), DaemonFileIT.CLUSTER);
            DaemonFileIT.write(dir.resolve("nodes.yaml"), DaemonFileIT.RR1 + DaemonFileIT.node("w61", h2.ipv4(), "")
                    + DaemonFileIT.node("w62", hg.ipv4(), "") + DaemonFileIT.node("w63", h16.ipv4(), "")
                    + DaemonFileIT.node("w64", hf.ipv4(), ""));
            Path state = testbed.workDir().resolve("rr-state");

            BirdPeer bird2 = BirdPeer.start(h2, BirdPeer.Version.BIRD2, PeerConfig.calicoNode(h2, false, StaticRoute.of("10.61.0.0/26")));
            GobgpPeer gobgp = GobgpPeer.start(hg, PeerConfig.calicoNode(hg, false, StaticRoute.of("10.62.0.0/26")));
            BirdPeer bird16 = BirdPeer.start(h16, BirdPeer.Version.BIRD16, PeerConfig.calicoNode(h16, false, StaticRoute.of("10.63.0.0/26")));
            FrrPeer frr = FrrPeer.start(hf, PeerConfig.calicoNode(hf, false, StaticRoute.of("10.64.0.0/26")));
            List<Client> clients = List.of(
                    new Client(BIRD2, "10.61.0.0/26", () -> fromProtocol(bird2), () -> birdView(bird2)),
                    new Client(GOBGP, "10.62.0.0/26", () -> gobgp.routes().stream().filter(r -> r.from().equals(RR)).toList(),
                            () -> gobgp.gobgp("global", "rib", "-j").output()),
                    new Client(BIRD16, "10.63.0.0/26", () -> fromProtocol(bird16), () -> birdView(bird16)),
                    new Client(FRR, "10.64.0.0/26", () -> frr.routes().stream().filter(r -> r.from().equals(RR)).toList(),
                            () -> frr.vtysh("show bgp ipv4 unicast json detail", "show bgp neighbors " + RR + " json").output()));
            ClientSessions sessions = new ClientSessions().bird(BIRD2, bird2, "reflector").gobgp(GOBGP, gobgp, RR)
                    .bird(BIRD16, bird16, "reflector").frr(FRR, frr, RR);
            Map<String, String> env = Map.of("DATASTORE_TYPE", "file", "DATASTORE_PATH", dir.toString(), "NODENAME", "rr1",
                    "STATE_DIRECTORY", state.toString());
            List<String> run = List.of("run", "--selection-deferral", "30");
            List<DaemonProcess> daemons = new ArrayList<>();
            Supplier<String> diag = () -> {
                StringBuilder text = new StringBuilder();
                daemons.forEach(d -> text.append(d.diagnostics()));
                return text + bird2.diagnostics() + bird16.diagnostics() + gobgp.diagnostics() + frr.diagnostics();
            };
            try {
                DaemonProcess first = DaemonProcess.startJar("rr-first", run, env, testbed.workDir());
                daemons.add(first);
                assertTrue(first.awaitStarted().contains("4 peers"), diag.get());
                for (String label : List.of(BIRD2, GOBGP, BIRD16, FRR)) {
                    sessions.awaitEstablished(label, UP, diag);
                }
                awaitAll(clients, "every client to learn the others' routes", UP, diag);
                assertTrue(first.lines("restart: found").isEmpty(), "a fresh state directory is a fresh start");

                // 1. SIGTERM: no NOTIFICATION; the clients keep what we gave them, as stale.
                long t0 = System.nanoTime();
                DaemonProcess.assertStopsOnSigterm(first);
                System.out.printf("SIGTERM: daemon gone after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
                assertTrue(first.lines("stopping for a restart").size() == 1, diag.get());
                sessions.awaitDown(BIRD2, Duration.ofSeconds(10), diag);
                sessions.awaitDown(GOBGP, Duration.ofSeconds(10), diag);
                sessions.awaitDown(BIRD16, Duration.ofSeconds(10), diag);
                sessions.awaitDown(FRR, Duration.ofSeconds(10), diag);
                long heldUntil = System.nanoTime() + HELD.toNanos();
                while (System.nanoTime() - heldUntil < 0) {
                    assertAllHeld(clients, "after SIGTERM", diag);
                    DaemonProcess.sleep(250);
                }
                Map<String, String> staleView = new LinkedHashMap<>();
                clients.forEach(c -> staleView.put(c.label(), c.raw().get()));
                assertStale(staleView, clients, true, diag);
                for (String label : List.of(BIRD2, BIRD16)) {
                    String lastError = (label.equals(BIRD2) ? bird2 : bird16).protocol("reflector").lastError();
                    assertTrue(!lastError.contains("Received"), label + " received a NOTIFICATION on SIGTERM: " + lastError);
                }
                System.out.println("=== held as stale " + HELD.toSeconds() + " s after SIGTERM:\n" + excerpt(staleView, clients));

                // 2. Start again within the restart time: R bit, table held until the End-of-RIBs, no route lost.
                // FRR 8.4 sets the Restart State bit in every OPEN it sends (it restarted or not, helper
                // mode or restart mode), and RFC 4724 §4.1 excludes such peers from the wait for End-of-RIBs:
                // FRR's own route reaches the others only after our table has been released, once FRR's
                // update-group timer (about 1 s) sends it. Our routes at FRR, and every other client's route
                // everywhere, must never go.
                Set<String> mayBlink = Set.of("10.64.0.0/26");
                Set<String> blinked = new TreeSet<>();
                DaemonProcess second = DaemonProcess.startJar("rr-second", run, env, testbed.workDir());
                daemons.add(second);
                long restartStart = System.nanoTime();
                int polls = 0;
                boolean fresh = false;
                while (!fresh) {
                    assertTrue(second.isAlive(), diag.get());
                    assertTrue(System.nanoTime() - restartStart < UP.toNanos() * 2, "restart not complete within "
                            + UP.toSeconds() * 2 + " s\n" + diag.get());
                    blinked.addAll(assertAllHeld(clients, "during the restart (poll " + polls + ")", diag, mayBlink));
                    polls++;
                    fresh = !second.lines("restart complete, R bit cleared").isEmpty()
                            && sessions.snapshot().values().stream().allMatch(ClientSessions.Session::established)
                            && clients.stream().noneMatch(c -> anyStale(c, c.raw().get()))
                            && clients.stream().allMatch(c -> c.prefixes().equals(expected(clients, c)));
                    DaemonProcess.sleep(200);
                }
                System.out.printf("restart: routes refreshed %d ms after the new start, %d polls, none lost; gone for a"
                        + " while (FRR's R bit): %s%n", (System.nanoTime() - restartStart) / 1_000_000, polls, blinked);
                assertTrue(second.log().contains("restart: found"), diag.get());
                // Released by the four real clients' End-of-RIBs, long before the 30 s deferral.
                String released = second.awaitLine("restart: initial transfer released", Duration.ofSeconds(1));
                assertTrue(released.endsWith("End-of-RIB received from every peer"), released);
                String bird2Protocol = bird2.birdc("show", "protocols", "all", "reflector").output();
                assertTrue(bird2Protocol.contains("Restart recovery"), "BIRD 2 did not see the R bit:\n" + bird2Protocol);
                Map<String, String> freshView = new LinkedHashMap<>();
                clients.forEach(c -> freshView.put(c.label(), c.raw().get()));
                assertStale(freshView, clients, false, diag);
                assertAllHeld(clients, "after the restart", diag);
                System.out.println(ClientSessions.table("after the restart", sessions.snapshot()));

                // 3. Decommission: Cease / Administrative Shutdown with the message; the routes go.
                List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                        "-jar", DaemonProcess.jar().toString(), "shutdown", "--state-dir", state.toString(), "--message", MESSAGE);
                DaemonProcess shutdown = DaemonProcess.start("shutdown", command, Map.of("STATE_DIRECTORY", state.toString()),
                        testbed.workDir().resolve("shutdown.log"), null);
                daemons.add(shutdown);
                shutdown.awaitExit(Duration.ofSeconds(30));
                assertEquals(0, shutdown.exitCode(), diag.get());
                second.awaitExit(Duration.ofSeconds(10));
                // BIRD 2 shows the Cease in its info column and "Last error", the RFC 9003 text as the
                // protocol's "Message"; BIRD 1.6.8 shows the message too (its last error soon becomes the
                // refused reconnection); both log the NOTIFICATION with the text; GoBGP logs it as
                // Communicated-Reason.
                sessions.awaitDown(BIRD2, Duration.ofSeconds(10), diag);
                sessions.awaitDown(BIRD16, Duration.ofSeconds(10), diag);
                sessions.awaitDown(GOBGP, Duration.ofSeconds(10), diag);
                sessions.awaitDown(FRR, Duration.ofSeconds(10), diag);
                String b2All = bird2.birdc("show", "protocols", "all", "reflector").output();
                String b16All = bird16.birdc("show", "protocols", "all", "reflector").output();
                System.out.println("=== BIRD 2 after the shutdown:\n" + b2All + "\n=== BIRD 1.6 after the shutdown:\n" + b16All);
                BirdProtocol b2 = BirdProtocol.parse(b2All);
                assertEquals("Received: Administrative shutdown", b2.lastError(), b2All);
                assertTrue(b2.info().endsWith("Received: Administrative shutdown"), b2All);
                String shownMessage = "Message:        " + MESSAGE;
                assertTrue(b2All.contains(shownMessage), "BIRD 2 does not show the shutdown message:\n" + b2All);
                assertTrue(b16All.contains(shownMessage), "BIRD 1.6 does not show the shutdown message:\n" + b16All);
                String logged = "reflector: Received: Administrative shutdown: \"" + MESSAGE + "\"";
                assertTrue(bird2.process().log().contains(logged), bird2.diagnostics());
                assertTrue(bird16.process().log().contains(logged), bird16.diagnostics());
                assertTrue(gobgp.process().log().contains("\"Communicated-Reason\":\"" + MESSAGE + "\""), gobgp.diagnostics());
                assertTrue(frr.bgpd().log().contains(MESSAGE), "FRR does not log the shutdown message:\n" + frr.diagnostics());
                long withdrawnStart = System.nanoTime();
                for (Client c : clients) {
                    io.routereflector.testbed.Await.until(c.label() + " to drop the routes learned through us", Duration.ofSeconds(10),
                            () -> c.prefixes().isEmpty(), diag);
                }
                System.out.printf("shutdown: routes withdrawn at every client %d ms after the daemon exited%n",
                        (System.nanoTime() - withdrawnStart) / 1_000_000);
                assertTrue(!Files.exists(state.resolve(Lifecycle.MARKER)), "a decommission clears the restart marker");
                System.out.printf("scenario took %d ms%n", (System.nanoTime() - began) / 1_000_000);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n" + diag.get(), e);
            } finally {
                daemons.forEach(DaemonProcess::close);
            }
        }
    }

    /** BIRD's protocol toward us and its routes. */
    private static String birdView(BirdPeer bird) {
        return bird.birdc("show", "protocols", "all", "reflector").output() + bird.birdc("show", "route", "all").output();
    }

    /** Routes a BIRD learned over its protocol "reflector". */
    private static List<PeerRoute> fromProtocol(BirdPeer bird) {
        return bird.routes().stream().filter(r -> r.from().equals("reflector")).toList();
    }

    private static Set<String> expected(List<Client> clients, Client at) {
        Set<String> out = new TreeSet<>();
        clients.stream().filter(c -> c != at).forEach(c -> out.add(c.prefix()));
        return out;
    }

    private static void awaitAll(List<Client> clients, String what, Duration timeout, Supplier<String> diag) {
        io.routereflector.testbed.Await.until(what, timeout,
                () -> clients.stream().allMatch(c -> c.prefixes().equals(expected(clients, c))), diag);
    }

    private static void assertAllHeld(List<Client> clients, String when, Supplier<String> diag) {
        assertAllHeld(clients, when, diag, Set.of());
    }

    /** Every client holds every other client's route, but those of {@code mayBlink}; returns those missing. */
    private static Set<String> assertAllHeld(List<Client> clients, String when, Supplier<String> diag, Set<String> mayBlink) {
        Set<String> missing = new TreeSet<>();
        for (Client c : clients) {
            Set<String> now = c.prefixes();
            Set<String> lost = new TreeSet<>(expected(clients, c));
            lost.removeAll(now);
            missing.addAll(lost);
            lost.removeAll(mayBlink);
            if (!lost.isEmpty() || !expected(clients, c).containsAll(now)) {
                throw new AssertionError(c.label() + " lost routes " + when + ": holds " + now + ", expected "
                        + expected(clients, c) + "\n" + c.raw().get() + "\n" + diag.get());
            }
        }
        return missing;
    }

    /**
     * Whether the client holds our routes as a graceful-restart helper. BIRD (1.6 and 2.0) keeps the
     * stale mark inside (its route lines look the same); {@code show protocols all} says "Neighbor
     * graceful restart active" while it holds them. GoBGP and FRR mark each kept path {@code "stale": true}.
     */
    static boolean anyStale(Client c, String raw) {
        if (c.label().equals(GOBGP) || c.label().equals(FRR)) {
            return raw.replace(" ", "").contains("\"stale\":true");
        }
        return raw.contains("Neighbor graceful restart active");
    }

    private static void assertStale(Map<String, String> views, List<Client> clients, boolean stale, Supplier<String> diag) {
        for (Client c : clients) {
            String raw = views.get(c.label());
            if (anyStale(c, raw) != stale) {
                throw new AssertionError(c.label() + " should " + (stale ? "" : "not ") + "hold our routes as stale:\n" + raw);
            }
        }
    }

    private static String excerpt(Map<String, String> views, List<Client> clients) {
        StringBuilder text = new StringBuilder();
        for (Client c : clients) {
            text.append("--- ").append(c.label()).append(":\n");
            String raw = views.get(c.label());
            if (c.label().equals(GOBGP) || c.label().equals(FRR)) {
                text.append(raw.length() > 1500 ? raw.substring(0, 1500) + "…" : raw).append('\n');
            } else {
                raw.lines().filter(l -> l.contains("[reflector") || l.contains("raceful restart") || l.contains("BGP state"))
                        .forEach(l -> text.append(l).append('\n'));
            }
        }
        return text.toString();
    }
}
