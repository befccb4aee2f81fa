package io.routereflector.daemon;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** Prints the version of the build and of the JVM it runs on. */
@Command(name = "version", description = "Print the routereflector and Java versions.")
public final class VersionCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version != null ? version : "development build";
    }

    @Override
    public Integer call() {
        spec.commandLine().getOut().printf("routereflector %s (Java %s, %s)%n",
                version(), System.getProperty("java.version"), System.getProperty("java.vm.name"));
        return 0;
    }

    /** Lets {@code routereflector --version} print the same line. */
    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"routereflector " + version()};
        }
    }
}
