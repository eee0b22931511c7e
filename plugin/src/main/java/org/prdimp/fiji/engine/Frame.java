package org.prdimp.fiji.engine;

/**
 * One 2D image as float planes (1 channel for greyscale, 3 for RGB), row-major, with values
 * already normalised to about [0, 1]. Pixel (i, j) covers [i, i+1) x [j, j+1).
 */
public final class Frame {
    public final int width;
    public final int height;
    public final float[][] channels;

    public Frame(int width, int height, float[]... channels) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("frame size must be positive, got " + width + "x" + height);
        }
        if (channels.length != 1 && channels.length != 3) {
            throw new IllegalArgumentException("a frame has 1 or 3 channels, got " + channels.length);
        }
        for (float[] c : channels) {
            if (c.length != width * height) {
                throw new IllegalArgumentException("channel of " + c.length + " values for a " + width + "x" + height + " frame");
            }
        }
        this.width = width;
        this.height = height;
        this.channels = channels;
    }

    private String noSignal;

    /**
     * Marks this frame as carrying no signal (decided on its raw values, e.g. mostly NaN or
     * infinite, by whoever normalised it); returns this frame.
     */
    public Frame withoutSignal(String reason) {
        this.noSignal = reason;
        return this;
    }

    /**
     * Why this frame carries no signal, or null when it has some: the reason it was
     * {@linkplain #withoutSignal marked} with, else "constant" when every value of every channel is equal.
     */
    public String noSignal() {
        if (noSignal != null) {
            return noSignal;
        }
        float v = channels[0][0];
        for (float[] c : channels) {
            for (float x : c) {
                if (x != v) {
                    return null;
                }
            }
        }
        return "constant";
    }

    public int channelCount() {
        return channels.length;
    }
}
