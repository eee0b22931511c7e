package org.prdimp.fiji.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.ImageStack;
import ij.VirtualStack;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import java.nio.file.Path;

/** Synthetic images whose pixel values encode the frame index, written with ImageJ. */
final class TestImages {
    static final int W = 16;
    static final int H = 8;

    private TestImages() {}

    /** 8-bit value of pixel (x, y) in frame f. */
    static int gray8(int f, int x, int y) {
        return (f * 20 + x + 2 * y) & 0xff;
    }

    static int gray16(int f, int x, int y) {
        return (1000 * f + 40 * y + x + 300) & 0xffff;
    }

    static float gray32(int f, int x, int y) {
        return f * 1.5f - x * 0.25f + y * 100f;
    }

    static int red(int f, int x, int y) {
        return (f * 10 + x) & 0xff;
    }

    static int green(int f, int x, int y) {
        return 100 + y;
    }

    static int blue(int f, int x, int y) {
        return 200 + f;
    }

    /** One frame of the given ImageJ bit depth (8, 16, 32 or 24 for RGB). */
    static ImageProcessor frame(int bitDepth, int f, int w, int h) {
        switch (bitDepth) {
            case 8: {
                ByteProcessor ip = new ByteProcessor(w, h);
                fill(ip, (x, y) -> gray8(f, x, y));
                return ip;
            }
            case 16: {
                ShortProcessor ip = new ShortProcessor(w, h);
                fill(ip, (x, y) -> gray16(f, x, y));
                return ip;
            }
            case 32: {
                FloatProcessor ip = new FloatProcessor(w, h);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        ip.setf(x, y, gray32(f, x, y));
                    }
                }
                return ip;
            }
            case 24: {
                ColorProcessor ip = new ColorProcessor(w, h);
                fill(ip, (x, y) -> (red(f, x, y) << 16) | (green(f, x, y) << 8) | blue(f, x, y));
                return ip;
            }
            default:
                throw new IllegalArgumentException("bit depth " + bitDepth);
        }
    }

    interface PixelFunction {
        int value(int x, int y);
    }

    static void fill(ImageProcessor ip, PixelFunction v) {
        for (int y = 0; y < ip.getHeight(); y++) {
            for (int x = 0; x < ip.getWidth(); x++) {
                ip.set(x, y, v.value(x, y));
            }
        }
    }

    static ImagePlus stack(String title, int bitDepth, int frames) {
        ImageStack stack = new ImageStack(W, H);
        for (int f = 0; f < frames; f++) {
            stack.addSlice("f" + f, frame(bitDepth, f, W, H));
        }
        return new ImagePlus(title, stack);
    }

    /** Expected raw planes of frame f as written by {@link #frame}. */
    static float[][] expected(int bitDepth, int f, int w, int h) {
        float[][] planes = new float[bitDepth == 24 ? 3 : 1][w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                switch (bitDepth) {
                    case 8: planes[0][i] = gray8(f, x, y); break;
                    case 16: planes[0][i] = gray16(f, x, y); break;
                    case 32: planes[0][i] = gray32(f, x, y); break;
                    default:
                        planes[0][i] = red(f, x, y);
                        planes[1][i] = green(f, x, y);
                        planes[2][i] = blue(f, x, y);
                }
            }
        }
        return planes;
    }

    static Path saveTiff(ImagePlus imp, Path file) {
        FileSaver saver = new FileSaver(imp);
        boolean ok = imp.getStackSize() > 1 ? saver.saveAsTiffStack(file.toString()) : saver.saveAsTiff(file.toString());
        assertTrue(ok, "ImageJ could not write " + file);
        return file;
    }

    /**
     * Hyperstack C=2, Z=3, T=4 of 16-bit; pixel = 1000*c + 100*z + 10*t + (x+y)%10, with c, z, t 1-based.
     */
    static ImagePlus hyperstack() {
        int nc = 2;
        int nz = 3;
        int nt = 4;
        ImageStack stack = new ImageStack(W, H);
        for (int t = 1; t <= nt; t++) {
            for (int z = 1; z <= nz; z++) {
                for (int c = 1; c <= nc; c++) {
                    int base = hyperValue(c, z, t);
                    ShortProcessor ip = new ShortProcessor(W, H);
                    fill(ip, (x, y) -> base + (x + y) % 10);
                    stack.addSlice("c" + c + "z" + z + "t" + t, ip);
                }
            }
        }
        ImagePlus imp = new ImagePlus("hyper", stack);
        imp.setDimensions(nc, nz, nt);
        imp.setOpenAsHyperStack(true);
        return imp;
    }

    static int hyperValue(int c, int z, int t) {
        return 1000 * c + 100 * z + 10 * t;
    }

    /** A disk-less virtual stack that computes 16-bit frame n on demand, so writing it never holds the whole stack. */
    static final class Generated16BitStack extends VirtualStack {
        private final int frames;

        Generated16BitStack(int width, int height, int frames) {
            super(width, height, frames, "16-bit");
            this.frames = frames;
        }

        @Override
        public ImageProcessor getProcessor(int n) {
            return frame(16, n - 1, getWidth(), getHeight());
        }

        @Override
        public int getSize() {
            return frames;
        }

        @Override
        public String getSliceLabel(int n) {
            return null;
        }
    }
}
