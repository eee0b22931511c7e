package org.prdimp.fiji.trackmate;

import org.prdimp.fiji.io.FrameSource;
import org.prdimp.fiji.io.InputException;

import net.imagej.ImgPlus;
import net.imagej.axis.Axes;
import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.RealType;

/**
 * Frames of the image TrackMate hands to a detector (an {@link ImgPlus} with X, Y and optionally
 * channel, Z and time axes): one channel, frames along time, 2D planes (the first z-slice of a 3D
 * image). Values are read through imglib2, one frame per call.
 */
final class ImgPlusFrameSource<T extends RealType<T>> implements FrameSource {
    private final ImgPlus<T> img;
    private final int xd;
    private final int yd;
    private final int cd;
    private final int zd;
    private final int td;
    private final int channel; // 0-based position along the channel axis
    private final int width;
    private final int height;
    private final int frames;

    /**
     * @param channel 1-based channel
     * @throws InputException when the image has no X/Y axes or not that channel
     */
    ImgPlusFrameSource(ImgPlus<T> img, int channel) throws InputException {
        this.img = img;
        this.xd = img.dimensionIndex(Axes.X);
        this.yd = img.dimensionIndex(Axes.Y);
        this.cd = img.dimensionIndex(Axes.CHANNEL);
        this.zd = img.dimensionIndex(Axes.Z);
        this.td = img.dimensionIndex(Axes.TIME);
        if (xd < 0 || yd < 0) {
            throw new InputException(img.getName() + " has no X and Y axes; PrDiMP tracks 2D time-lapses");
        }
        int channels = cd < 0 ? 1 : (int) img.dimension(cd);
        if (channel < 1 || channel > channels) {
            throw new InputException(img.getName() + " has " + channels + (channels == 1 ? " channel" : " channels")
                    + ", so channel " + channel + " does not exist; choose a channel from 1 to " + channels);
        }
        this.channel = channel - 1;
        this.width = (int) img.dimension(xd);
        this.height = (int) img.dimension(yd);
        this.frames = td < 0 ? 1 : (int) img.dimension(td);
    }

    @Override
    public int frameCount() {
        return frames;
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
        return 1;
    }

    @Override
    public String description() {
        return img.getName() + ": " + frames + " frames of " + width + "x" + height;
    }

    @Override
    public float[][] readRaw(int index) throws InputException {
        if (index < 0 || index >= frames) {
            throw new IndexOutOfBoundsException("frame " + index + " of " + frames);
        }
        float[] plane = new float[width * height];
        RandomAccess<T> ra = img.randomAccess();
        long[] pos = new long[img.numDimensions()];
        for (int d = 0; d < pos.length; d++) {
            pos[d] = img.min(d);
        }
        if (cd >= 0) {
            pos[cd] += channel;
        }
        if (td >= 0) {
            pos[td] += index;
        }
        long x0 = img.min(xd);
        long y0 = img.min(yd);
        for (int y = 0; y < height; y++) {
            pos[yd] = y0 + y;
            pos[xd] = x0;
            ra.setPosition(pos);
            for (int x = 0; x < width; x++) {
                plane[y * width + x] = ra.get().getRealFloat();
                ra.fwd(xd);
            }
        }
        return new float[][] {plane};
    }

    @Override
    public void close() {
    }
}
