package io.routereflector.daemon.birdctl;

import io.routereflector.daemon.ops.ReflectorView;
import io.routereflector.daemon.ops.StatusService;
import io.routereflector.reflector.config.ReflectorConfig;
import io.routereflector.reflector.session.PeerSession;
import io.routereflector.wire.nlri.AddressFamily;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Inet4Address;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Supplier;

/**
 * The commands of one control socket, answered from the running reflector. Each socket speaks for
 * one address family, as BIRD 1.6's {@code bird} and {@code bird6} did: the IPv4 socket lists the
 * IPv4 sessions and counts IPv4 routes, the IPv6 socket the IPv6 ones.
 *
 * @param version       what follows "BIRD" in the greeting and {@code show status}
 * @param lastReconfig  when the datastore's configuration was last applied
 */
public record BirdCli(StatusService status, AddressFamily family, BirdTimeFormat timeFormat, String version, Clock clock,
                      Supplier<Instant> lastReconfig) {

    /** BIRD's {@code timeformat base} default, for {@code show status}. */
    private static final DateTimeFormatter BASE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** The line BIRD sends unasked on connect. */
    public void greet(BirdReply reply) {
        reply.last(1, "BIRD " + version + " ready.");
    }

    /** {@code line} as read by {@link RequestLineDecoder}; its answer goes to {@code reply}. */
    public void answer(String line, BirdReply reply) throws InterruptedException {
        BirdCommand command = BirdCommand.parse(line);
        if (command instanceof BirdCommand.Refused r) {
            reply.last(r.code(), r.message());
        } else if (command instanceof BirdCommand.ShowStatus) {
            showStatus(reply);
        } else if (command instanceof BirdCommand.ShowMemory) {
            showMemory(reply);
        } else if (command instanceof BirdCommand.ShowRouteCount) {
            routeCount(reply);
        } else if (command instanceof BirdCommand.ShowProtocols p) {
            protocols(reply, p);
        }
    }

    private void showStatus(BirdReply reply) {
        ReflectorConfig config = status.reflector().peers().config();
        Instant now = clock.instant();
        reply.more(1000, "BIRD " + version);
        reply.more(1011, "Router ID is " + (config == null ? "0.0.0.0" : config.routerId().getHostAddress()));
        reply.more(1011, "Current server time is " + BASE.format(now.atZone(clock.getZone())));
        reply.more(1011, "Last reboot on " + BASE.format(status.started().atZone(clock.getZone())));
        Instant reconfigured = lastReconfig.get();
        reply.more(1011, "Last reconfiguration on " + BASE.format((reconfigured == null ? status.started() : reconfigured)
                .atZone(clock.getZone())));
        reply.last(13, "Daemon is up and running");
    }

    /** Our real figures under BIRD's heading: the JVM's heap, non-heap and direct (Netty) buffers. */
    private void showMemory(BirdReply reply) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long heap = memory.getHeapMemoryUsage().getUsed();
        long nonHeap = memory.getNonHeapMemoryUsage().getUsed();
        long direct = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            direct += Math.max(0, pool.getMemoryUsed());
        }
        reply.more(1018, "BIRD memory usage");
        reply.more(1018, size("Java heap:", heap));
        reply.more(1018, size("Java non-heap:", nonHeap));
        reply.more(1018, size("Direct buffers:", direct));
        reply.more(1018, size("Total:", heap + nonHeap + direct));
        reply.last(0, "");
    }

    /** BIRD's {@code print_size}: four digits at most, then kB, MB or GB. */
    static String size(String label, long bytes) {
        String units = " kMG";
        int i = 0;
        long value = bytes;
        while (value >= 10000 && i < 3) {
            value = (value + 512) / 1024;
            i++;
        }
        return String.format("%-17s %4d %cB", label, value, units.charAt(i));
    }

    private void routeCount(BirdReply reply) throws InterruptedException {
        ReflectorView view = ReflectorView.take(status.reflector());
        int paths = view.paths().getOrDefault(family, 0);
        reply.last(14, paths + " of " + paths + " routes for " + view.prefixes().getOrDefault(family, 0) + " networks");
    }

    private void protocols(BirdReply reply, BirdCommand.ShowProtocols command) throws InterruptedException {
        ReflectorView view = ReflectorView.take(status.reflector());
        List<PeerSession> sessions = view.sessions().stream().filter(this::ours).toList();
        if (command.name() != null && !ProtocolTable.names(sessions).contains(command.name())) {
            reply.last(9002, command.name() + " is not a protocol");
            return;
        }
        ReflectorConfig config = status.reflector().peers().config();
        ProtocolTable.Source src = new ProtocolTable.Source(view, config == null ? 0 : config.localAs(), status.started(),
                clock.instant(), clock.getZone(), timeFormat, status.reflector()::prefixLimit);
        boolean any = false;
        if (selected(command, ProtocolTable.DEVICE)) {
            ProtocolTable.header(reply);
            any = true;
            ProtocolTable.device(reply, src, command.all());
        }
        for (PeerSession s : sessions) {
            if (selected(command, ProtocolTable.name(s))) {
                if (!any) {
                    ProtocolTable.header(reply);
                    any = true;
                }
                ProtocolTable.bgp(reply, src, s, command.all());
            }
        }
        if (any) {
            reply.last(0, "");
        } else {
            reply.last(8003, "No protocols match");
        }
    }

    private boolean ours(PeerSession s) {
        return (s.address() instanceof Inet4Address) == (family == AddressFamily.IPV4_UNICAST);
    }

    private static boolean selected(BirdCommand.ShowProtocols command, String name) {
        if (command.name() != null) {
            return command.name().equals(name);
        }
        return command.pattern() == null || BirdCommand.matches(command.pattern(), name);
    }
}
