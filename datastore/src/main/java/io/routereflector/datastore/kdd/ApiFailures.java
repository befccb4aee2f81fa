package io.routereflector.datastore.kdd;

import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;

/**
 * Failed attempts against the API server, logged once per kind of failure (refused, unauthorised,
 * forbidden, throttled, TLS …) when it starts or changes, repeats at debug, and one line when the
 * server answers again. Used by the datastore's worker thread only.
 */
final class ApiFailures {

    private final Logger log;
    private String lastClass;
    private int count;
    private String lastDetail = "";

    ApiFailures(Logger log) {
        this.log = log;
    }

    String fail(String what, Throwable t, String retrying) {
        String cls = classify(t);
        count++;
        lastDetail = what + ": " + cls + ": " + describe(t);
        if (!cls.equals(lastClass)) {
            log.warn("Kubernetes API: {}; {} — repeats of this failure are logged at debug level", lastDetail, retrying);
            lastClass = cls;
        } else {
            log.debug("Kubernetes API: attempt {} failed: {}", count, lastDetail);
        }
        return lastDetail;
    }

    void ok() {
        if (count > 0) {
            log.info("Kubernetes API: the server answers again after {} failed attempt(s)", count);
        }
        count = 0;
        lastClass = null;
    }

    static int code(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof KubernetesClientException k && k.getCode() > 0) {
                return k.getCode();
            }
        }
        return 0;
    }

    static String classify(Throwable t) {
        switch (code(t)) {
            case 0:
                break;
            case 401:
                return "UNAUTHORIZED";
            case 403:
                return "FORBIDDEN";
            case 404:
                return "NOT_FOUND";
            case 410:
                return "GONE";
            case 429:
                return "TOO_MANY_REQUESTS";
            default:
                return "HTTP_" + code(t);
        }
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ConnectException) {
                return "CONNECTION_REFUSED";
            }
            if (c instanceof TimeoutException || c instanceof HttpTimeoutException) {
                return "TIMEOUT";
            }
            if (c instanceof SSLException) {
                return "TLS";
            }
        }
        return t == null ? "ENDED" : t.getClass().getSimpleName();
    }

    static String describe(Throwable t) {
        if (t == null) {
            return "the watch ended";
        }
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage();
            if (m == null || m.isBlank() || sb.indexOf(m) >= 0) {
                continue;
            }
            int nl = m.indexOf('\n');
            sb.append(sb.length() > 0 ? ": " : "").append(nl < 0 ? m : m.substring(0, nl));
        }
        return sb.length() == 0 ? t.getClass().getSimpleName() : sb.toString();
    }
}
