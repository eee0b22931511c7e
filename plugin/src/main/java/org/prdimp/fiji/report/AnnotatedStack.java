package org.prdimp.fiji.report;

import java.awt.Color;
import java.awt.Font;
import java.util.List;
import java.util.Locale;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

import org.prdimp.fiji.engine.TargetResult;

/**
 * Draws tracking results onto frames: one colour per target, its box, its number and confidence;
 * a target not found is marked "lost" at its last box, dashed. Builds an RGB stack frame by frame.
 */
public final class AnnotatedStack {
    private static final Color[] COLOURS = {Color.YELLOW, Color.CYAN, Color.MAGENTA, Color.GREEN, Color.ORANGE,
            Color.PINK, Color.RED, Color.WHITE, new Color(120, 160, 255), new Color(180, 255, 120)};

    private final ImageStack stack;
    private TargetResult[] last = new TargetResult[0];

    public AnnotatedStack(int width, int height) {
        this.stack = new ImageStack(width, height);
    }

    public static Color colour(int target) {
        return COLOURS[target % COLOURS.length];
    }

    /** Adds one frame: {@code image} (any type; shown with its display range) with the results drawn on it. */
    public void add(ImageProcessor image, int frame, List<TargetResult> results) {
        ColorProcessor rgb = image.convertToColorProcessor();
        rgb.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(9, image.getWidth() / 40)));
        rgb.setAntialiasedText(true);
        for (TargetResult r : results) {
            if (r.target >= last.length) {
                last = java.util.Arrays.copyOf(last, r.target + 1);
            }
            rgb.setColor(colour(r.target));
            if (r.box != null) {
                rgb.drawRect((int) Math.round(r.box.x), (int) Math.round(r.box.y), (int) Math.round(r.box.w),
                        (int) Math.round(r.box.h));
                rgb.drawString(String.format(Locale.ROOT, "%d %.2f", r.target, r.confidence),
                        (int) Math.round(r.box.x), (int) Math.round(r.box.y));
                last[r.target] = r;
            } else if (last[r.target] != null && last[r.target].box != null) {
                TargetResult p = last[r.target];
                dashedRect(rgb, p.box.x, p.box.y, p.box.w, p.box.h);
                rgb.drawString(r.target + " lost", (int) Math.round(p.box.x), (int) Math.round(p.box.y));
            }
        }
        stack.addSlice("frame " + frame, rgb);
    }

    private static void dashedRect(ImageProcessor ip, double x, double y, double w, double h) {
        int x0 = (int) Math.round(x);
        int y0 = (int) Math.round(y);
        int x1 = (int) Math.round(x + w);
        int y1 = (int) Math.round(y + h);
        for (int i = x0; i <= x1; i += 4) {
            ip.drawLine(i, y0, Math.min(i + 1, x1), y0);
            ip.drawLine(i, y1, Math.min(i + 1, x1), y1);
        }
        for (int j = y0; j <= y1; j += 4) {
            ip.drawLine(x0, j, x0, Math.min(j + 1, y1));
            ip.drawLine(x1, j, x1, Math.min(j + 1, y1));
        }
    }

    public ImagePlus image(String title) {
        return new ImagePlus(title, stack);
    }
}
