package fiji.plugin.trackmate;

import java.awt.Color;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * Stand-in for TrackMate 8.0.0's {@code Logger}: an abstract {@link PrintWriter} with messages,
 * errors, status and progress of a run (in Fiji, TrackMate's log panel). Members this module and
 * its tests use: the four abstract methods, {@code log(String)}, the colours, {@link #VOID_LOGGER}
 * and {@link StringBuilderLogger} (everything logged, errors and status appended to one text).
 */
public abstract class Logger extends PrintWriter {
    public static final Color NORMAL_COLOR = Color.BLACK;
    public static final Color ERROR_COLOR = new Color(0.8f, 0, 0);
    public static final Color GREEN_COLOR = new Color(0, 0.6f, 0);
    public static final Color BLUE_COLOR = new Color(0, 0, 0.7f);

    public static final Logger VOID_LOGGER = new Logger() {
        @Override
        public void log(String message, Color color) {
        }

        @Override
        public void error(String message) {
        }

        @Override
        public void setProgress(double val) {
        }

        @Override
        public void setStatus(String status) {
        }
    };

    public Logger() {
        super(Writer.nullWriter());
        this.out = new Writer() {
            @Override
            public void write(char[] cbuf, int off, int len) {
                log(new String(cbuf, off, len));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }

    public abstract void log(String message, Color color);

    public abstract void error(String message);

    public void log(final String message) {
        log(message, NORMAL_COLOR);
    }

    public abstract void setProgress(double val);

    public abstract void setStatus(String status);

    /** Appends messages, errors and status to one text ({@link #toString()}). */
    public static class StringBuilderLogger extends Logger {
        private final StringBuilder sb;

        public StringBuilderLogger(final StringBuilder sb) {
            this.sb = sb;
        }

        public StringBuilderLogger() {
            this(new StringBuilder());
        }

        @Override
        public void log(final String message, final Color color) {
            sb.append(message);
        }

        @Override
        public void error(final String message) {
            sb.append(message);
        }

        @Override
        public void setProgress(final double val) {
        }

        @Override
        public void setStatus(final String status) {
            sb.append(status);
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }
}
