package org.prdimp.fiji.io;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.prdimp.fiji.engine.Frame;
import org.prdimp.fiji.engine.IntensityNormalizer;

/**
 * Engine frames from a {@link FrameSource}, all normalised with one {@link IntensityNormalizer}
 * per sequence. This is the normalisation policy for file and image input: the normaliser's
 * percentiles are taken over the reference frames, which are the first frame plus up to 4 more
 * evenly spaced through the sequence (the last frame included), i.e. indices
 * {@code floor(k * (n - 1) / 4)} for k = 0..4 without repeats; each reference frame is read once
 * and subsampled evenly so that at most about 2^20 values are kept. One fixed map for the whole
 * sequence keeps brightness comparable from frame to frame. The source stays owned by the caller.
 */
public final class NormalizedFrames {
    /** Reference frames besides the first. */
    public static final int EXTRA_REFERENCE_FRAMES = 4;
    private static final int MAX_SAMPLES_PER_FRAME = (1 << 20) / (EXTRA_REFERENCE_FRAMES + 1);

    private final FrameSource source;
    private final IntensityNormalizer normalizer;

    /** Reads the reference frames and computes the sequence's normaliser. */
    public NormalizedFrames(FrameSource source) throws InputException {
        this.source = source;
        int[] refs = referenceIndices(source.frameCount());
        float[][] samples = new float[refs.length * source.channels()][];
        int perPlane = MAX_SAMPLES_PER_FRAME / source.channels();
        int k = 0;
        for (int index : refs) {
            for (float[] plane : source.readRaw(index)) {
                samples[k++] = subsample(plane, perPlane);
            }
        }
        this.normalizer = IntensityNormalizer.fromPlanes(Arrays.copyOf(samples, k));
    }

    /** The reference frame indices for a sequence of {@code frameCount} frames (empty for none). */
    public static int[] referenceIndices(int frameCount) {
        if (frameCount < 1) {
            return new int[0];
        }
        return IntStream.rangeClosed(0, EXTRA_REFERENCE_FRAMES)
                .map(k -> (int) ((long) k * (frameCount - 1) / EXTRA_REFERENCE_FRAMES))
                .distinct().toArray();
    }

    private static float[] subsample(float[] plane, int max) {
        if (plane.length <= max) {
            return plane;
        }
        int step = (plane.length + max - 1) / max;
        float[] out = new float[(plane.length + step - 1) / step];
        for (int i = 0, j = 0; i < plane.length; i += step, j++) {
            out[j] = plane[i];
        }
        return out;
    }

    /**
     * Frame {@code index} (0-based), normalised; {@linkplain Frame#withoutSignal marked} when its raw
     * values carry no signal ({@link IntensityNormalizer#noSignal}).
     */
    public Frame frame(int index) throws InputException {
        float[][] planes = source.readRaw(index);
        String noSignal = IntensityNormalizer.noSignal(planes);
        for (float[] p : planes) {
            normalizer.apply(p);
        }
        Frame frame = new Frame(source.width(), source.height(), planes);
        return noSignal == null ? frame : frame.withoutSignal(noSignal);
    }

    public int frameCount() {
        return source.frameCount();
    }

    public FrameSource source() {
        return source;
    }

    public IntensityNormalizer normalizer() {
        return normalizer;
    }

    /** Raw value mapped to 0. */
    public double low() {
        return normalizer.low();
    }

    /** Raw value mapped to 1. */
    public double high() {
        return normalizer.high();
    }
}
