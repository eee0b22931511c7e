package org.prdimp.fiji.eval;

import org.prdimp.fiji.engine.Frame;

/**
 * How every peer sees a frame: the normalised frame our tracker gets ([0, 1] after the sequence's one
 * linear intensity map, {@code NormalizedFrames}), quantised to 8 bits as {@code round(255 v)}. Grey
 * frames are one plane; colour frames are r, g, b planes, and their grey version is the mean of the three.
 */
final class EightBit {
    private EightBit() {
    }

    static int quantise(float v) {
        return Math.round(255f * Math.min(1f, Math.max(0f, v)));
    }

    /** The grey 8-bit plane, row-major. */
    static byte[] grey(Frame f, byte[] into) {
        int n = f.width * f.height;
        byte[] out = into != null && into.length == n ? into : new byte[n];
        if (f.channelCount() == 1) {
            float[] p = f.channels[0];
            for (int i = 0; i < n; i++) {
                out[i] = (byte) quantise(p[i]);
            }
        } else {
            float[] r = f.channels[0];
            float[] g = f.channels[1];
            float[] b = f.channels[2];
            for (int i = 0; i < n; i++) {
                out[i] = (byte) quantise((r[i] + g[i] + b[i]) / 3f);
            }
        }
        return out;
    }

    /** Interleaved 8-bit BGR (OpenCV's order); a grey frame gives three equal channels. */
    static byte[] bgr(Frame f, byte[] into) {
        int n = f.width * f.height;
        byte[] out = into != null && into.length == 3 * n ? into : new byte[3 * n];
        float[] r = f.channels[0];
        float[] g = f.channels[f.channelCount() == 1 ? 0 : 1];
        float[] b = f.channels[f.channelCount() == 1 ? 0 : 2];
        for (int i = 0, j = 0; i < n; i++, j += 3) {
            out[j] = (byte) quantise(b[i]);
            out[j + 1] = (byte) quantise(g[i]);
            out[j + 2] = (byte) quantise(r[i]);
        }
        return out;
    }
}
