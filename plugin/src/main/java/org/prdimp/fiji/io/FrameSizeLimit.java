package org.prdimp.fiji.io;

import java.util.Locale;

/**
 * The largest frame a run accepts, checked from the header before any frame is read: by default
 * what the Java heap holds (16 bytes per pixel and channel: the decoded image, its float planes and
 * the normalised copy with room to spare), or an explicit limit ({@code --max-frame-pixels}).
 */
public final class FrameSizeLimit {
    /** Heap bytes a frame needs per pixel and channel, with margin. */
    public static final long BYTES_PER_PIXEL = 16;

    private FrameSizeLimit() {
    }

    /** The default limit in pixels (width x height) for frames of {@code channels} channels. */
    public static long fromHeap(int channels) {
        return Runtime.getRuntime().maxMemory() / (BYTES_PER_PIXEL * Math.max(1, channels));
    }

    /**
     * Refuses frames above {@code maxPixels} (0: {@link #fromHeap}).
     *
     * @throws InputException naming the frame size, the limit and what to do
     */
    public static void check(FrameSource source, long maxPixels) throws InputException {
        long pixels = (long) source.width() * source.height();
        boolean fromHeap = maxPixels <= 0;
        long limit = fromHeap ? fromHeap(source.channels()) : maxPixels;
        if (pixels <= limit) {
            return;
        }
        long heapMb = Runtime.getRuntime().maxMemory() >> 20;
        long needGb = Math.max(1, (pixels * BYTES_PER_PIXEL * source.channels() + (1L << 30) - 1) >> 30) * 2;
        String size = String.format(Locale.ROOT, "%dx%d (%.1f Mpixels)", source.width(), source.height(), pixels / 1e6);
        if (fromHeap) {
            throw new InputException(source.description() + ": frames of " + size + " do not fit this Java heap ("
                    + heapMb + " MB, room for " + limit + " pixels); raise it, e.g. PRDIMP_JAVA_OPTS=-Xmx" + needGb
                    + "g, or crop or bin the images (--max-frame-pixels N sets this limit yourself)");
        }
        throw new InputException(source.description() + ": frames of " + size + " are above --max-frame-pixels " + maxPixels
                + "; crop or bin the images, or raise the limit (and the heap, PRDIMP_JAVA_OPTS=-Xmx" + needGb + "g)");
    }
}
