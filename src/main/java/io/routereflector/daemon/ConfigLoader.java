package io.routereflector.daemon;

import io.routereflector.datastore.DesiredState;
import io.routereflector.datastore.derive.Identity;
import io.routereflector.datastore.etcd.EtcdDatastore;
import io.routereflector.datastore.file.FileDatastore;
import io.routereflector.datastore.kdd.KddDatastore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

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

    /** For {@code run}: waits for etcd (or the Kubernetes API) at start-up as long as it takes (retrying with back-off). */
    static DesiredState open(DaemonOptions options, Environment env) throws DaemonOptions.ConfigError {
        return open(options, env, null);
    }

    /** @param etcdStartWait how long {@code start} waits for a first etcd snapshot; null = until it comes */
    static DesiredState open(DaemonOptions options, Environment env, Duration etcdStartWait) throws DaemonOptions.ConfigError {
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
            case KUBERNETES:
                if (secrets != null) {
                    throw new DaemonOptions.ConfigError("--secrets-dir (SECRETS_DIR) is for the file and etcd datastores: with"
                            + " DATASTORE_TYPE=kubernetes the passwords are read from the Secrets themselves");
                }
                return new KddDatastore(options.kubernetes.settings(env).withStartWait(etcdStartWait), identity);
            case ETCDV3:
            default:
                return new EtcdDatastore(options.etcdSettings(env).withStartWait(etcdStartWait), identity, secrets);
        }
    }
}
