package io.routereflector.daemon.log;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

import java.time.Instant;

/** An slf4j logger that hands each event to {@link LineLogging}. */
final class LineLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;

    LineLogger(String name) {
        this.name = name;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
        Throwable error = throwable;
        if (error == null && arguments != null && arguments.length > 0 && arguments[arguments.length - 1] instanceof Throwable t) {
            error = t;
        }
        String message = MessageFormatter.basicArrayFormat(pattern, arguments);
        LineLogging.emit(Instant.now(), level, name, Thread.currentThread().getName(), message, error);
    }

    @Override
    public boolean isTraceEnabled() {
        return LineLogging.enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return LineLogging.enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return LineLogging.enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return LineLogging.enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return LineLogging.enabled(Level.ERROR);
    }
}
