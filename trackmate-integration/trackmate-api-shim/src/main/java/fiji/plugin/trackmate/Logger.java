package fiji.plugin.trackmate;

import java.awt.Color;

/** Shim of TrackMate 8.0.0 {@code Logger}: messages, errors, status and progress of a run. */
public abstract class Logger {
    public static final Color NORMAL_COLOR = Color.BLACK;
    public static final Color ERROR_COLOR = new Color(0.8f, 0, 0);

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

    public abstract void log(String message, Color color);

    public abstract void error(String message);

    public abstract void setProgress(double val);

    public abstract void setStatus(String status);

    public void log(String message) {
        log(message, NORMAL_COLOR);
    }
}
