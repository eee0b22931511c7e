package org.prdimp.fiji.eval;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.engine.Frame;

/**
 * A classical single-object tracker run beside ours. It receives the same decoded, normalised frames
 * (values in [0, 1]) and converts them itself, inside the timed step ({@link EightBit}).
 */
interface PeerTracker extends AutoCloseable {
    /** Starts on the first frame; false when the tracker cannot start on this box (every frame then counts as lost). */
    boolean start(Frame frame, Box box);

    /** The box in the next frame, or null when the tracker reports the target lost. */
    Box next(Frame frame);

    @Override
    void close();
}
