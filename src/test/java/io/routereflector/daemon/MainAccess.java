package io.routereflector.daemon;

import picocli.CommandLine;

/** Test access to the package-private command line of {@link Main}. */
public final class MainAccess {

    private MainAccess() {
    }

    public static CommandLine commandLine() {
        return Main.commandLine();
    }
}
