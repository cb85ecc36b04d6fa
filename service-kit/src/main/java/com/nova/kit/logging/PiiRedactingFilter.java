package com.nova.kit.logging;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Redacts every record before any handler formats it: the message with its parameters, and the
 * messages of the attached exception chain. Installed on the console and file handlers by
 * configuration ({@code quarkus.log.console.filter=pii-redaction}), not by call sites.
 */
@LoggingFilter(name = "pii-redaction")
public final class PiiRedactingFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            String formatted = ext.getFormattedMessage();
            ext.setMessage(PiiRedactor.redact(formatted), ExtLogRecord.FormatStyle.NO_FORMAT);
            ext.setParameters(null);
        } else if (record.getParameters() == null || record.getParameters().length == 0) {
            record.setMessage(PiiRedactor.redact(record.getMessage()));
        } else {
            record.setMessage(PiiRedactor.redact(new java.util.logging.SimpleFormatter().formatMessage(record)));
            record.setParameters(null);
        }
        Throwable thrown = record.getThrown();
        if (thrown != null && !(thrown instanceof RedactedThrowable)) {
            record.setThrown(RedactedThrowable.of(thrown));
        }
        return true;
    }
}
