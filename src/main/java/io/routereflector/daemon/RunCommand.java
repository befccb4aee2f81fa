package io.routereflector.daemon;

import io.routereflector.daemon.ops.ExportSummary;
import io.routereflector.daemon.log.LineLogging;
import io.routereflector.datastore.DesiredState;
import io.routereflector.datastore.ResourceProblem;
import io.routereflector.reflector.Reflector;
import io.routereflector.reflector.config.ReflectorConfig;
import io.routereflector.reflector.session.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The daemon: the datastore feeds the reflector; every change of the derived configuration goes
 * through {@link Reflector#apply}, which touches only the sessions whose configuration changed.
 */
@Command(name = "run",
        description = "Run the route reflector (the default command).",
        footer = {"", "Examples:",
                "  routereflector run --datastore-path src/examples/cluster --node rr1",
                "  DATASTORE_TYPE=file DATASTORE_PATH=/etc/calico/resources IP=10.0.0.1 routereflector run",
                "  ETCD_ENDPOINTS=https://10.0.0.5:2379 ETCD_CA_CERT_FILE=ca.pem ETCD_CERT_FILE=rr.pem ETCD_KEY_FILE=rr-key.pem \\",
                "    IP=10.0.0.1 routereflector run"})
public final class RunCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DaemonOptions options = new DaemonOptions();

    @Mixin
    LifecycleOptions lifecycleOptions = new LifecycleOptions();

    @Mixin
    OpsOptions ops = new OpsOptions();

    Environment env = Environment.system();

    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        LogLevelSetting levels;
        try {
            String given = options.logLevel(env);
            levels = new LogLevelSetting(given == null ? null : LineLogging.parseLevel(given));
            ops.configureLogging(levels.initial(), options, env);
        } catch (DaemonOptions.ConfigError e) {
            err.println("routereflector: " + e.getMessage());
            return 2;
        }
        Logger log = LoggerFactory.getLogger(RunCommand.class);

        DesiredState source;
        Duration selectionDeferral;
        DaemonOptions.PrefixLimits prefixLimits;
        try {
            prefixLimits = options.prefixLimits();
            source = ConfigLoader.open(options, env);
            selectionDeferral = lifecycleOptions.selectionDeferral();
        } catch (DaemonOptions.ConfigError e) {
            err.println("routereflector: " + e.getMessage());
            return 2;
        }
        Transport transport = Transport.detect();
        Reflector reflector = new Reflector(transport, Math.max(2, Runtime.getRuntime().availableProcessors()));
        reflector.limitPrefixes(prefixLimits.maxPrefixes(), prefixLimits.restart());
        // Restart marker, SIGHUP reload, and the GR-friendly stop or decommission: see Lifecycle.
        Lifecycle lifecycle = new Lifecycle(lifecycleOptions.stateDir(env), options, env, reflector, ops, levels);
        lifecycle.begin(selectionDeferral);
        lifecycle.handleHangup();
        try {
            ops.start(reflector, source, env);
        } catch (DaemonOptions.ConfigError | RuntimeException e) {
            err.println("routereflector: " + e.getMessage());
            source.close();
            reflector.close();
            return 2;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ops.close();
            lifecycle.stop(source);
            stopped.countDown();
        }, "shutdown"));
        try {
            source.start(lifecycle);
        } catch (Exception e) {
            err.println("routereflector: cannot load the datastore: " + ConfigLoader.describe(e));
            return 2;
        }
        DesiredState.Snapshot snapshot = source.snapshot();
        for (ResourceProblem p : snapshot.problems()) {
            log.warn("datastore: {}", p);
        }
        if (snapshot.config() == null) {
            err.println("routereflector: no configuration could be derived from the datastore ("
                    + source.health().detail() + "); see the problems above");
            ops.close();
            source.close();
            reflector.close();
            return 1;
        }
        Exception failed = lifecycle.applyError();
        if (failed != null) {
            // E.g. the BGP port is taken: a daemon that listens nowhere must not look started.
            err.println("routereflector: cannot apply the configuration: " + ConfigLoader.describe(failed));
            source.close();
            reflector.close();
            return 1;
        }
        ReflectorConfig applied = reflector.peers().config();
        log.info("started: router id {}, cluster id {}, AS {}, {} peers, listening on {}, transport {}, datastore {}, {}",
                applied.routerId().getHostAddress(), applied.clusterId().getHostAddress(), applied.localAs(),
                applied.peers().size(), reflector.peers().listening(), transport.isEpoll() ? "epoll" : "nio",
                source.health().status(), ops.describe());
        if (ExportSummary.exportsAll(applied)) {
            log.warn("export policy: {}", ExportSummary.EXPORT_ALL);
        } else {
            log.info("export policy: {}", ExportSummary.describe(applied));
        }
        stopped.await();
        return 0;
    }
}
