package org.prdimp.fiji.engine;

import java.util.function.IntUnaryOperator;

/**
 * The augmented initial crops of a target (spec section 4, initialisation step 2): identity, four
 * diagonal shifts of {@code shift x S/2} crop pixels, a horizontal flip, the Gaussian blurs and the
 * rotations of the model's parameters. Dropout copies are made later, on the identity features.
 *
 * <p>Each crop is sampled directly from the frame (shifted or rotated about the target), which gives
 * real image content where an expanded patch would be needed otherwise. Blurs and the flip act on
 * the identity crop. Boxes are in crop pixels: the target box is centred in every crop except the
 * shifted ones, and rotations keep the axis-aligned box.
 */
final class InitAugmentation {
    private static final int[][] SHIFT_SIGNS = {{1, 1}, {-1, 1}, {1, -1}, {-1, -1}};

    private InitAugmentation() {
    }

    static int cropCount(TrackerParams p) {
        return 1 + SHIFT_SIGNS.length + 1 + p.augmentBlurs.length + p.augmentRotationsDeg.length;
    }

    /**
     * Writes the crops of one target: crop i goes to {@code out} at offset {@code offsetOf.applyAsInt(i)}
     * (channels x S x S); box i (x, y, w, h in crop pixels) to {@code boxes[i]}.
     */
    static void crops(CropSampler sampler, double cx, double cy, double scale, double targetW, double targetH,
                      TrackerParams p, float[] out, IntUnaryOperator offsetOf, double[][] boxes) {
        int s = p.cropSize;
        int ch = p.inputChannels;
        int plane = ch * s * s;
        double side = s * scale;
        double wc = targetW / scale;
        double hc = targetH / scale;
        Box centred = Box.centred(s / 2.0, s / 2.0, wc, hc);
        int i = 0;
        int identity = offsetOf.applyAsInt(0);
        sampler.sample(cx, cy, side, 0, s, ch, out, identity);
        boxes[i++] = xywh(centred);
        double d = p.augmentShift * s / 2.0;
        for (int[] sign : SHIFT_SIGNS) {
            // moving the crop centre by -d puts the target at S/2 + d
            sampler.sample(cx - sign[0] * d * scale, cy - sign[1] * d * scale, side, 0, s, ch, out, offsetOf.applyAsInt(i));
            boxes[i++] = xywh(Box.centred(s / 2.0 + sign[0] * d, s / 2.0 + sign[1] * d, wc, hc));
        }
        flipHorizontally(out, identity, offsetOf.applyAsInt(i), ch, s);
        boxes[i++] = xywh(centred);
        for (double[] sigma : p.augmentBlurs) {
            int o = offsetOf.applyAsInt(i);
            System.arraycopy(out, identity, out, o, plane);
            GaussianBlur.blur(out, o, ch, s, sigma[0], sigma[1]);
            boxes[i++] = xywh(centred);
        }
        for (double deg : p.augmentRotationsDeg) {
            sampler.sample(cx, cy, side, Math.toRadians(deg), s, ch, out, offsetOf.applyAsInt(i));
            boxes[i++] = xywh(centred);
        }
    }

    private static double[] xywh(Box b) {
        return new double[] {b.x, b.y, b.w, b.h};
    }

    private static void flipHorizontally(float[] data, int from, int to, int channels, int s) {
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < s; y++) {
                int row = c * s * s + y * s;
                for (int x = 0; x < s; x++) {
                    data[to + row + x] = data[from + row + s - 1 - x];
                }
            }
        }
    }
}
