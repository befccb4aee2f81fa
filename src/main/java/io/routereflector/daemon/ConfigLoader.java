package io.routereflector.daemon;

import io.routereflector.datastore.DesiredState;
import io.routereflector.datastore.derive.Identity;
import io.routereflector.datastore.file.FileDatastore;

import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the datastore the options and environment name, with start-up errors as one clear line. */
final class ConfigLoader {

    private ConfigLoader() {
    }

    /** An exception and its causes as one line: "loading x failed: y: z". */
    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            text.append(": ").append(c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName());
        }
        return text.toString();
    }

    static DesiredState open(DaemonOptions options, Environment env) throws DaemonOptions.ConfigError {
        Identity identity = options.identity(env);
        Path secrets = options.secretsDir(env);
        switch (options.datastoreType(env)) {
            case FILE: {
                Path path = options.datastorePath(env);
                if (path == null) {
                    throw new DaemonOptions.ConfigError(
                            "DATASTORE_TYPE=file needs DATASTORE_PATH (--datastore-path): a directory or file of calicoctl resources");
                }
                if (!Files.exists(path)) {
                    throw new DaemonOptions.ConfigError("DATASTORE_PATH " + path + ": no such file or directory");
                }
                return new FileDatastore(path, identity, secrets);
            }
            case ETCDV3:
            default:
                throw new DaemonOptions.ConfigError("DATASTORE_TYPE=etcdv3: the etcd datastore is not in this build yet;"
                        + " use DATASTORE_TYPE=file with DATASTORE_PATH (--datastore-type file --datastore-path DIR)");
        }
    }
}
