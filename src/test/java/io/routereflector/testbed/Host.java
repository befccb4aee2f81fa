package io.routereflector.testbed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One peer host of a {@link Testbed}: its own namespace, eth0 = 198.51.100.N and 2001:db8::N. */
public final class Host {

    private final Testbed testbed;
    private final int number;
    private final String namespace;

    Host(Testbed testbed, int number, String namespace) {
        this.testbed = testbed;
        this.number = number;
        this.namespace = namespace;
    }

    public Testbed testbed() {
        return testbed;
    }

    public int number() {
        return number;
    }

    public String namespace() {
        return namespace;
    }

    public String ipv4() {
        return "198.51.100." + number;
    }

    public String ipv6() {
        // Decimal digits read as a hex group: host 12 is 2001:db8::12, as in the documentation.
        return "2001:db8::" + number;
    }

    public String address(boolean ipv6) {
        return ipv6 ? ipv6() : ipv4();
    }

    /** Runs a short command inside this host's namespace. */
    public Shell.Result exec(Duration timeout, String... command) {
        List<String> full = new ArrayList<>(List.of(Binaries.IP.toString(), "netns", "exec", namespace));
        full.addAll(List.of(command));
        return Shell.run(full, Map.of(), timeout);
    }

    /** Starts a long-running program in this host's namespace; the testbed stops it at close. */
    public ManagedProcess start(String name, List<String> command) {
        Binaries.require(java.nio.file.Path.of(command.get(0)));
        return testbed.startIn(namespace, name, command);
    }

    @Override
    public String toString() {
        return namespace + " (" + ipv4() + ", " + ipv6() + ")";
    }
}
