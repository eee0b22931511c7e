package org.prdimp.fiji.io;

import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

/** Copies ImageJ pixel data into float planes, raw stored values (no LUT, no calibration). */
final class Planes {
    private Planes() {}

    static PixelType typeOf(ImageProcessor ip) {
        if (ip instanceof ByteProcessor) {
            return PixelType.GREY8;
        } else if (ip instanceof ShortProcessor) {
            return PixelType.GREY16;
        } else if (ip instanceof FloatProcessor) {
            return PixelType.GREY32;
        } else if (ip instanceof ColorProcessor) {
            return PixelType.RGB;
        }
        throw new IllegalArgumentException("unsupported processor " + ip.getClass().getName());
    }

    /** One plane for greyscale processors, three (r, g, b) for RGB. */
    static float[][] of(ImageProcessor ip) {
        Object pixels = ip.getPixels();
        if (pixels instanceof byte[]) {
            byte[] p = (byte[]) pixels;
            float[] out = new float[p.length];
            for (int i = 0; i < p.length; i++) {
                out[i] = p[i] & 0xff;
            }
            return new float[][] {out};
        } else if (pixels instanceof short[]) {
            short[] p = (short[]) pixels;
            float[] out = new float[p.length];
            for (int i = 0; i < p.length; i++) {
                out[i] = p[i] & 0xffff;
            }
            return new float[][] {out};
        } else if (pixels instanceof float[]) {
            return new float[][] {((float[]) pixels).clone()};
        } else if (pixels instanceof int[]) {
            int[] p = (int[]) pixels;
            float[] r = new float[p.length];
            float[] g = new float[p.length];
            float[] b = new float[p.length];
            for (int i = 0; i < p.length; i++) {
                int c = p[i];
                r[i] = (c >> 16) & 0xff;
                g[i] = (c >> 8) & 0xff;
                b[i] = c & 0xff;
            }
            return new float[][] {r, g, b};
        }
        throw new IllegalArgumentException("unsupported pixel array " + (pixels == null ? "null" : pixels.getClass().getName()));
    }
}
