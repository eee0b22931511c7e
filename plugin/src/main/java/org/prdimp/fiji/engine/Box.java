package org.prdimp.fiji.engine;

import java.util.Locale;

/** An axis-aligned box: (x, y) top-left corner, width and height, in pixels (pixel i covers [i, i+1)). */
public final class Box {
    public final double x;
    public final double y;
    public final double w;
    public final double h;

    public Box(double x, double y, double w, double h) {
        this.x = x;
        this.y = y;
        this.w = w;
        this.h = h;
    }

    public static Box centred(double cx, double cy, double w, double h) {
        return new Box(cx - w / 2, cy - h / 2, w, h);
    }

    public double cx() {
        return x + w / 2;
    }

    public double cy() {
        return y + h / 2;
    }

    /**
     * Parses "x,y,w,h" (commas, optional spaces).
     *
     * @throws IllegalArgumentException with a message naming the expected format
     */
    public static Box parse(String text) {
        String[] parts = text.trim().split("\\s*,\\s*");
        if (parts.length != 4) {
            throw new IllegalArgumentException("box '" + text + "' must be four numbers x,y,w,h (top-left corner, width, height in pixels)");
        }
        double[] v = new double[4];
        for (int i = 0; i < 4; i++) {
            try {
                v[i] = Double.parseDouble(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("box '" + text + "': '" + parts[i] + "' is not a number; write it as x,y,w,h");
            }
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException("box '" + text + "' has a non-finite value; write it as x,y,w,h");
            }
        }
        return new Box(v[0], v[1], v[2], v[3]);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.2f,%.2f,%.2f,%.2f", x, y, w, h);
    }
}
