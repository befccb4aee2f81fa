package io.routereflector.daemon;

import io.routereflector.daemon.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

import java.util.concurrent.Callable;

/**
 * The {@code routereflector} command: {@code run} (the default), {@code check-config}, {@code status},
 * {@code routes}, {@code health}, {@code shutdown}, {@code bench}, {@code decode},
 * {@code version}. Without a subcommand it runs the daemon, as the old image's entrypoint did.
 */
@Command(name = "routereflector",
        mixinStandardHelpOptions = true,
        // -h/--help and -V/--version on every subcommand too: `routereflector status --help` prints its usage.
        scope = ScopeType.INHERIT,
        versionProvider = VersionCommand.Provider.class,
        description = "A BGP-4 route reflector for Calico clusters.",
        subcommands = {RunCommand.class, CheckConfigCommand.class, StatusCommand.class, RoutesCommand.class, HealthCommand.class,
                ShutdownCommand.class, BenchCommand.class, VersionCommand.class, DecodeCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        NettyDefaults.apply();
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public Integer call() {
        CommandLine run = spec.commandLine().getSubcommands().get("run");
        run.setOut(spec.commandLine().getOut());
        run.setErr(spec.commandLine().getErr());
        return run.execute();
    }
}
