package org.prdimp.fiji.eval;

import org.prdimp.fiji.io.FrameSource;
import org.prdimp.fiji.io.InputException;

/** A frame source that adds up the time spent decoding frames, so that the tracker's step can be timed without it. */
final class TimedFrameSource implements FrameSource {
    private final FrameSource source;
    private long readNanos;

    TimedFrameSource(FrameSource source) {
        this.source = source;
    }

    /** Nanoseconds spent in {@link #readRaw} since the last call. */
    long takeReadNanos() {
        long n = readNanos;
        readNanos = 0;
        return n;
    }

    @Override
    public float[][] readRaw(int index) throws InputException {
        long t0 = System.nanoTime();
        try {
            return source.readRaw(index);
        } finally {
            readNanos += System.nanoTime() - t0;
        }
    }

    @Override
    public int frameCount() {
        return source.frameCount();
    }

    @Override
    public int width() {
        return source.width();
    }

    @Override
    public int height() {
        return source.height();
    }

    @Override
    public int channels() {
        return source.channels();
    }

    @Override
    public String description() {
        return source.description();
    }

    @Override
    public void close() {
        source.close();
    }
}
