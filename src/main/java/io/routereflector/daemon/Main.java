package io.routereflector.daemon;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code routereflector} command. The daemon itself ({@code run}) arrives with the reflector
 * work; today the command decodes BGP messages and prints its version.
 */
@Command(name = "routereflector",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "A BGP-4 route reflector for Calico clusters.",
        subcommands = {VersionCommand.class, DecodeCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
