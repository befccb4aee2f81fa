package io.routereflector.speaker;

import io.netty.channel.EventLoopGroup;
import io.routereflector.reflector.session.Transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Many {@link SimSpeaker}s on a few shared event-loop threads, each from its own local address
 * (127.0.0.0/8 answers on lo, so every speaker can have one), all dialing one remote speaker.
 */
public final class SpeakerFleet implements AutoCloseable {

    private final EventLoopGroup group;
    private final List<SimSpeaker> speakers;

    private SpeakerFleet(EventLoopGroup group, List<SimSpeaker> speakers) {
        this.group = group;
        this.speakers = List.copyOf(speakers);
    }

    /** Dials {@code remote} once from every address of {@code locals}, with the settings it is given. */
    public static SpeakerFleet connect(Transport transport, int threads, List<InetAddress> locals,
                                       InetSocketAddress remote, Function<InetAddress, SimSpeaker.Settings> settings) {
        EventLoopGroup group = transport.newGroup(threads, "sim-speaker");
        List<SimSpeaker> speakers = new ArrayList<>(locals.size());
        for (InetAddress local : locals) {
            speakers.add(SimSpeaker.connect(transport, group, local, remote, settings.apply(local)));
        }
        return new SpeakerFleet(group, speakers);
    }

    public List<SimSpeaker> speakers() {
        return speakers;
    }

    public SimSpeaker get(int i) {
        return speakers.get(i);
    }

    public int size() {
        return speakers.size();
    }

    /**
     * Polls until every speaker satisfies {@code condition}; fails after {@code timeout} naming how
     * many do not and the first of them.
     */
    public void awaitAll(String what, Duration timeout, Predicate<SimSpeaker> condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<SimSpeaker> lagging = speakers.stream().filter(condition.negate()).toList();
            if (lagging.isEmpty()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what + ": "
                        + lagging.size() + " of " + speakers.size() + " speakers lag, e.g. " + lagging.get(0));
            }
            Thread.sleep(100);
        }
    }

    /** Closes every connection (no NOTIFICATION) and stops the threads. */
    @Override
    public void close() {
        for (SimSpeaker s : speakers) {
            s.close();
        }
        try {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
