package org.prdimp.fiji.eval;

import java.nio.file.Path;

import org.prdimp.fiji.io.FrameSource;
import org.prdimp.fiji.io.FrameSources;
import org.prdimp.fiji.io.InputException;
import org.prdimp.fiji.io.TrackingAxis;

/** Opens sequence inputs with the project's image input ({@link FrameSources}), the same for every tracker. */
final class Inputs {
    private Inputs() {
    }

    static FrameSource open(Path input) throws SequenceException {
        try {
            return FrameSources.open(input, 1, TrackingAxis.AUTO);
        } catch (InputException e) {
            throw new SequenceException(e.getMessage());
        }
    }

    static int frameCount(Path input) throws SequenceException {
        try (FrameSource s = open(input)) {
            return s.frameCount();
        }
    }
}
