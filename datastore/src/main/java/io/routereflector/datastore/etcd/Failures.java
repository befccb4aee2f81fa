package io.routereflector.datastore.etcd;

import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/**
 * One stream of attempts against etcd (the v3 reads, the v2 poll). An outage retried every few seconds
 * must not flood the log: one warning per class of failure (refused, timeout, TLS, auth …) when it
 * starts or changes, the repeats at debug, and one line when etcd answers again. Used by one thread.
 */
final class Failures {

    private final Logger log;
    private final String what;
    private String lastClass;
    private int count;
    private String lastDetail = "";

    Failures(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    /** Records a failed attempt and returns its one-line description. */
    String fail(Throwable t, String retrying) {
        String cls = classify(t);
        String detail = describe(t);
        count++;
        lastDetail = cls + ": " + detail;
        if (!cls.equals(lastClass)) {
            log.warn("{}: {} ({}); {} — repeats of this failure are logged at debug level", what, detail, cls, retrying);
            lastClass = cls;
        } else {
            log.debug("{}: attempt {} failed: {} ({})", what, count, detail, cls);
        }
        return lastDetail;
    }

    void ok() {
        if (count > 0) {
            log.info("{}: etcd answers again after {} failed attempt(s)", what, count);
        }
        count = 0;
        lastClass = null;
    }

    boolean failing() {
        return count > 0;
    }

    String last() {
        return lastDetail;
    }

    static String classify(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof EtcdException e) {
                return e.getErrorCode().name();
            }
            if (c instanceof StatusRuntimeException s) {
                return s.getStatus().getCode().name();
            }
            if (c instanceof TimeoutException) {
                return "TIMEOUT";
            }
            if (c instanceof ConnectException) {
                return "CONNECTION_REFUSED";
            }
            if (c instanceof SSLException) {
                return "TLS";
            }
        }
        return t == null ? "ENDED" : t.getClass().getSimpleName();
    }

    /** The messages of an exception and its causes, without repeats. */
    static String describe(Throwable t) {
        if (t == null) {
            return "the stream ended";
        }
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage();
            if (m == null || m.isBlank() || sb.indexOf(m) >= 0) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(": ");
            }
            sb.append(m);
        }
        return sb.length() == 0 ? t.getClass().getSimpleName() : sb.toString();
    }
}
