package org.prdimp.fiji.trackmate;

import org.scijava.Cancelable;

import fiji.plugin.trackmate.Logger;

/**
 * What the PrDiMP detector and linker share as TrackMate algorithms: the logger TrackMate gives
 * them (a void one until then), the error message of the last run, and cancelling (TrackMate's
 * cancel reason; the run stops at the next frame and keeps what it has).
 */
abstract class AlgorithmBase implements Cancelable {
    /** Where the run's notes and failures go: TrackMate's log panel. */
    Logger logger = Logger.VOID_LOGGER;
    /** Why the last run failed or stopped early; null when it did not. */
    String errorMessage;
    private volatile String cancelReason;

    public void setLogger(Logger logger) {
        this.logger = logger == null ? Logger.VOID_LOGGER : logger;
    }

    public String getErrorMessage() {
        return errorMessage;
    }

    @Override
    public boolean isCanceled() {
        return cancelReason != null;
    }

    @Override
    public void cancel(String reason) {
        cancelReason = reason == null ? "cancelled" : reason;
    }

    @Override
    public String getCancelReason() {
        return cancelReason;
    }
}
