package io.routereflector.reflector.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.AbstractEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The event loops of the sessions, with one rule: every connection of a peer, dialed or accepted,
 * lives on the loop chosen by the peer's address. So a peer's FSMs, timers and collision decisions
 * share one thread without locks. Used as the child group of the listeners: an accepted channel is
 * registered directly on its peer's loop, no hand-over and no slow work on the accepting thread.
 */
final class AffinityGroup extends AbstractEventExecutorGroup implements EventLoopGroup {

    private final EventLoopGroup delegate;
    private final List<EventLoop> loops = new ArrayList<>();

    AffinityGroup(EventLoopGroup delegate) {
        this.delegate = delegate;
        for (EventExecutor e : delegate) {
            loops.add((EventLoop) e);
        }
    }

    EventLoop loopFor(InetAddress address) {
        return loops.get(Math.floorMod(address.hashCode(), loops.size()));
    }

    private EventLoop loopFor(Channel channel) {
        SocketAddress remote = channel.remoteAddress();
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null ? loopFor(inet.getAddress()) : delegate.next();
    }

    @Override
    public EventLoop next() {
        return delegate.next();
    }

    @Override
    public ChannelFuture register(Channel channel) {
        return loopFor(channel).register(channel);
    }

    @Override
    public ChannelFuture register(ChannelPromise promise) {
        return loopFor(promise.channel()).register(promise);
    }

    @Override
    @Deprecated
    public ChannelFuture register(Channel channel, ChannelPromise promise) {
        return loopFor(channel).register(promise);
    }

    @Override
    public Iterator<EventExecutor> iterator() {
        return delegate.iterator();
    }

    @Override
    public boolean isShuttingDown() {
        return delegate.isShuttingDown();
    }

    @Override
    public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        return delegate.shutdownGracefully(quietPeriod, timeout, unit);
    }

    @Override
    public Future<?> terminationFuture() {
        return delegate.terminationFuture();
    }

    @Override
    @Deprecated
    public void shutdown() {
        delegate.shutdownGracefully();
    }

    @Override
    public boolean isShutdown() {
        return delegate.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return delegate.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return delegate.awaitTermination(timeout, unit);
    }
}
