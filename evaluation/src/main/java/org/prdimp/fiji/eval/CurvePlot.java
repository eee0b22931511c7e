package org.prdimp.fiji.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

/** A line plot of one curve per tracker (success or precision), drawn with Java2D (headless) into a PNG. */
final class CurvePlot {
    private static final int W = 720;
    private static final int H = 520;
    private static final int LEFT = 70;
    private static final int RIGHT = 250;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;
    private static final Color[] COLOURS = {
        new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C), new Color(0xFF7F0E), new Color(0x9467BD),
        new Color(0x8C564B), new Color(0xE377C2), new Color(0x7F7F7F), new Color(0xBCBD22), new Color(0x17BECF)};

    /** One curve: y values at the plot's x values, and its legend text. */
    static final class Curve {
        final String legend;
        final double[] y;

        Curve(String legend, double[] y) {
            this.legend = legend;
            this.y = y;
        }
    }

    private CurvePlot() {
    }

    /** Writes the plot; x values are shared by all curves, y is in [0, 1]. */
    static void write(Path png, String title, String xLabel, String yLabel, double[] x, List<Curve> curves) throws IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;
        double x0 = x[0];
        double x1 = x[x.length - 1];
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= 10; i++) {
            int py = TOP + ph - ph * i / 10;
            int px = LEFT + pw * i / 10;
            g.setColor(new Color(0xE6E6E6));
            g.drawLine(LEFT, py, LEFT + pw, py);
            g.drawLine(px, TOP, px, TOP + ph);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.1f", i / 10.0), LEFT - 30, py + 4);
            String xt = String.format(Locale.ROOT, x1 - x0 > 5 ? "%.0f" : "%.1f", x0 + (x1 - x0) * i / 10);
            g.drawString(xt, px - g.getFontMetrics().stringWidth(xt) / 2, TOP + ph + 18);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, pw, ph);
        g.drawString(xLabel, LEFT + pw / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, H - 20);
        Graphics2D gy = (Graphics2D) g.create();
        gy.rotate(-Math.PI / 2);
        gy.drawString(yLabel, -(TOP + ph / 2) - g.getFontMetrics().stringWidth(yLabel) / 2, 22);
        gy.dispose();
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, LEFT, TOP - 14);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setStroke(new BasicStroke(2f));
        for (int c = 0; c < curves.size(); c++) {
            Curve curve = curves.get(c);
            g.setColor(COLOURS[c % COLOURS.length]);
            int prevX = -1;
            int prevY = -1;
            for (int i = 0; i < x.length; i++) {
                if (Double.isNaN(curve.y[i])) {
                    prevX = -1;
                    continue;
                }
                int px = LEFT + (int) Math.round(pw * (x[i] - x0) / (x1 - x0));
                int py = TOP + ph - (int) Math.round(ph * Math.max(0, Math.min(1, curve.y[i])));
                if (prevX >= 0) {
                    g.drawLine(prevX, prevY, px, py);
                }
                prevX = px;
                prevY = py;
            }
            int ly = TOP + 10 + c * 20;
            g.drawLine(LEFT + pw + 12, ly, LEFT + pw + 36, ly);
            g.setColor(Color.BLACK);
            g.drawString(curve.legend, LEFT + pw + 42, ly + 4);
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }
}
