package org.prdimp.fiji.io;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ImageProcessor;

/**
 * Frames of an ImageJ image: a single image, a stack, a virtual stack or a hyperstack (C, Z, T).
 * One channel is selected; frames run along time or z. When tracking along time in an image with
 * both Z and T, the z-slice is the image's current one ({@code imp.getZ()}); along z, the current
 * time frame. An explicit axis of length 1 falls back to the other one, because ImageJ files plain
 * stacks (often time-lapses) under z. Pixels are read through {@link ImageStack#getProcessor(int)},
 * one frame per call, so virtual stacks stay on disk. 8-bit images with a LUT give their stored
 * values; RGB gives three planes.
 */
public final class ImagePlusFrameSource implements FrameSource {
    private final ImagePlus imp;
    private final ImageStack stack;
    private final String title;
    private final String where; // names the image in error messages
    private final PixelType type;
    private final int width;
    private final int height;
    private final int frameCount;
    private final boolean alongTime;
    private final int firstIndex; // 1-based stack index of frame 0
    private final int step;       // stack index increment between frames
    private final String detail;
    private volatile boolean closed;

    /**
     * @param imp     the image (not closed by {@link #close()})
     * @param channel 1-based channel of a multi-channel image; 1 for single-channel and RGB images
     * @param axis    the dimension to track through
     * @throws InputException for an unknown channel, an empty image or an unsupported pixel type
     */
    public ImagePlusFrameSource(ImagePlus imp, int channel, TrackingAxis axis) throws InputException {
        this(imp, channel, axis, imp == null ? "the image" : imp.getTitle());
    }

    /** As the public constructor; {@code where} names the image (e.g. its file path) in error messages. */
    ImagePlusFrameSource(ImagePlus imp, int channel, TrackingAxis axis, String where) throws InputException {
        this.where = where;
        if (imp == null || imp.getStackSize() < 1 || imp.getWidth() < 1 || imp.getHeight() < 1) {
            throw new InputException("The image is empty. Open an image with at least one frame.");
        }
        this.imp = imp;
        this.title = imp.getTitle();
        this.type = typeOf(imp);
        this.width = imp.getWidth();
        this.height = imp.getHeight();
        int nC = imp.getNChannels();
        int nZ = imp.getNSlices();
        int nT = imp.getNFrames();
        if (channel < 1 || channel > nC) {
            throw new InputException(where + " has " + nC + (nC == 1 ? " channel" : " channels") + ", so channel "
                    + channel + " does not exist. Choose a channel from 1 to " + nC + ".");
        }
        this.alongTime = alongTime(axis == null ? TrackingAxis.AUTO : axis, nZ, nT);
        this.stack = imp.getStack();
        if (alongTime) {
            int z = clamp(imp.getZ(), nZ);
            firstIndex = channel + (z - 1) * nC;
            step = nC * nZ;
            frameCount = nT;
        } else {
            int t = clamp(imp.getT(), nT);
            firstIndex = channel + (t - 1) * nC * nZ;
            step = nC;
            frameCount = nZ;
        }
        this.detail = detail(channel, nC, nZ, nT);
    }

    /** True to track along T; AUTO and an axis of length 1 pick the axis that has more than one position. */
    static boolean alongTime(TrackingAxis axis, int nZ, int nT) {
        switch (axis) {
            case TIME:
                return nT > 1 || nZ == 1;
            case Z:
                return nZ == 1 && nT > 1;
            default:
                return nT > 1 || nZ == 1;
        }
    }

    private String detail(int channel, int nC, int nZ, int nT) {
        StringBuilder s = new StringBuilder();
        if (nZ > 1 && nT > 1) {
            s.append(alongTime ? "time frames at z-slice " + clamp(imp.getZ(), nZ) + " of " + nZ
                    : "z-slices at time frame " + clamp(imp.getT(), nT) + " of " + nT);
        }
        if (nC > 1) {
            s.append(s.length() > 0 ? ", " : "").append("channel ").append(channel).append(" of ").append(nC);
        }
        return s.length() > 0 ? " (" + s + ")" : "";
    }

    private static int clamp(int v, int n) {
        return Math.max(1, Math.min(n, v));
    }

    private static PixelType typeOf(ImagePlus imp) throws InputException {
        switch (imp.getType()) {
            case ImagePlus.GRAY8:
            case ImagePlus.COLOR_256:
                return PixelType.GREY8;
            case ImagePlus.GRAY16:
                return PixelType.GREY16;
            case ImagePlus.GRAY32:
                return PixelType.GREY32;
            case ImagePlus.COLOR_RGB:
                return PixelType.RGB;
            default:
                throw new InputException(imp.getTitle() + " has an unsupported pixel type. Convert it to 8-, 16-, 32-bit or RGB (Image > Type).");
        }
    }

    /** The image frames are read from. */
    public ImagePlus image() {
        return imp;
    }

    /** True when frames run along time, false along z. */
    public boolean alongTime() {
        return alongTime;
    }

    /** 1-based ImageJ stack index of frame {@code index}. */
    public int stackIndex(int index) {
        return firstIndex + index * step;
    }

    @Override
    public int frameCount() {
        return frameCount;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public int channels() {
        return type.channels;
    }

    @Override
    public String description() {
        return title + ": " + frameCount + (frameCount == 1 ? " frame" : " frames") + " of " + width + "x" + height
                + ", " + type.label + detail;
    }

    @Override
    public float[][] readRaw(int index) throws InputException {
        if (closed) {
            throw new IllegalStateException("frame source of " + title + " is closed");
        }
        if (index < 0 || index >= frameCount) {
            throw new IndexOutOfBoundsException("frame " + index + " of " + frameCount + " in " + title);
        }
        ImageProcessor ip;
        try {
            ip = stack.getProcessor(stackIndex(index));
        } catch (RuntimeException e) {
            throw new InputException("Cannot read frame " + (index + 1) + " of " + where + ": " + InputException.reason(e)
                    + ". Check that the file is complete and readable.", e);
        }
        if (ip == null || ip.getWidth() != width || ip.getHeight() != height || Planes.typeOf(ip) != type) {
            throw new InputException("Frame " + (index + 1) + " of " + where + " does not match the first frame in size or type."
                    + " Make all images of the sequence the same size and type.");
        }
        return Planes.of(ip);
    }

    @Override
    public void close() {
        closed = true;
    }
}
