package org.prdimp.fiji.io;

/**
 * A sequence of 2D frames of one size and pixel type, read one frame at a time (never the whole
 * sequence at once). Intended for one reading thread at a time.
 */
public interface FrameSource extends AutoCloseable {

    int frameCount();

    int width();

    int height();

    /** 1 for greyscale, 3 for RGB (after channel selection). */
    int channels();

    /** One line for the user, e.g. {@code cells.tif: 92 frames of 1024x1024, 8-bit greyscale}. */
    String description();

    /**
     * Raw intensities of frame {@code index} (0-based) as {@link #channels()} row-major planes of
     * width*height values (r, g, b for RGB), not normalised. A new array on every call.
     *
     * @throws IndexOutOfBoundsException if index is not in [0, frameCount)
     */
    float[][] readRaw(int index) throws InputException;

    @Override
    void close();
}
