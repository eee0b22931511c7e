package org.prdimp.fiji.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.OvalRoi;
import ij.gui.PolygonRoi;
import ij.gui.Roi;
import ij.io.RoiEncoder;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch macros of macros/ run by ImageJ's macro interpreter in a headless JVM (ImageJ patched by
 * ij1-patcher, as Fiji --headless) on real TIFF stacks from the project's generator: the CSV and the
 * annotated TIFF written per input, initial boxes from a CSV and from .roi/.zip files, several targets.
 */
class BatchMacrosTest {
    @TempDir
    static Path tmp;
    static Path in;

    @BeforeAll
    static void stacks() throws Exception {
        in = Files.createDirectories(tmp.resolve("in folder")); // a space: paths in [brackets]
        E2e.synthetic(in, "two", "--preset", "fast", "--frames", "10", "--objects", "2", "--seed", "1", "--bits", "16");
        E2e.synthetic(in, "one", "--preset", "fast", "--frames", "8", "--objects", "1", "--seed", "2");
        Files.writeString(in.resolve("notes.txt"), "not an image");
    }

    @Test
    void trackFolderWithBoxesFromCsv() throws Exception {
        Path out = tmp.resolve("out-csv");
        Map<Integer, Map<Integer, double[]>> two = E2e.truth(in.resolve("two.csv"));
        Map<Integer, Map<Integer, double[]>> one = E2e.truth(in.resolve("one.csv"));
        List<double[]> twoBoxes = firstBoxes(two);
        List<double[]> oneBoxes = firstBoxes(one);
        StringBuilder csv = new StringBuilder("image,x,y,w,h\n");
        for (double[] b : twoBoxes) {
            csv.append("two.tif,").append(b[0]).append(',').append(b[1]).append(',').append(b[2]).append(',').append(b[3]).append('\n');
        }
        for (double[] b : oneBoxes) {
            csv.append("one.tif,").append(b[0]).append(',').append(b[1]).append(',').append(b[2]).append(',').append(b[3]).append('\n');
        }
        String boxes = E2e.write(tmp, "boxes.csv", csv.toString());
        E2e.Run r = E2e.macro(E2e.macro("track_folder.ijm"), "input=[" + in + "] output=[" + out + "] boxes=[" + boxes
                + "] device=cpu");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("track_folder: 2 image(s) tracked"), r.out);
        checkOutputs(out, "two", twoBoxes, 10, two);
        checkOutputs(out, "one", oneBoxes, 8, one);
    }

    @Test
    void trackFolderWithRoiFilesBesideImages() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("with rois"));
        Files.copy(in.resolve("two.tif"), folder.resolve("two.tif"));
        Files.copy(in.resolve("one.tif"), folder.resolve("one.tif"));
        Files.copy(in.resolve("one.tif"), folder.resolve("none.tif")); // no .roi/.zip: skipped
        List<double[]> twoBoxes = firstBoxes(E2e.truth(in.resolve("two.csv")));
        double[] a = twoBoxes.get(0);
        double[] b = twoBoxes.get(1);
        Roi oval = new OvalRoi(a[0], a[1], a[2], a[3]);              // any shape: its bounds are the box
        Roi rect = new Roi(b[0], b[1], b[2], b[3]);
        try (ZipOutputStream zip = new ZipOutputStream(new FileOutputStream(folder.resolve("two.zip").toFile()))) {
            for (Roi roi : new Roi[] {oval, rect}) {
                zip.putNextEntry(new ZipEntry(roi.getTypeAsString() + roi.hashCode() + ".roi"));
                zip.write(RoiEncoder.saveAsByteArray(roi));
                zip.closeEntry();
            }
        }
        double[] c = firstBoxes(E2e.truth(in.resolve("one.csv"))).get(0);
        int x0 = (int) Math.round(c[0]);
        int y0 = (int) Math.round(c[1]);
        int x1 = (int) Math.round(c[0] + c[2]);
        int y1 = (int) Math.round(c[1] + c[3]);
        Roi triangle = new PolygonRoi(new int[] {x0, x1, x0}, new int[] {y0, y0, y1}, 3, Roi.POLYGON);
        Files.write(folder.resolve("one.roi"), RoiEncoder.saveAsByteArray(triangle));

        Path out = tmp.resolve("out-rois");
        E2e.Run r = E2e.macro(E2e.macro("track_folder.ijm"), "input=[" + folder + "] output=[" + out + "] device=cpu");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("skipped none.tif: no initial boxes"), r.out);
        List<double[]> expectedTwo = List.of(bounds(oval), bounds(rect));
        checkOutputs(out, "two", expectedTwo, 10, null);
        checkOutputs(out, "one", List.of(bounds(triangle)), 8, null);
        assertTrue(!Files.exists(out.resolve("none_tracks.csv")));
    }

    @Test
    void trackFolderSkipsBadFilesAndSumsUp() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("mixed"));
        Files.copy(in.resolve("one.tif"), folder.resolve("a_good.tif"));
        byte[] two = Files.readAllBytes(in.resolve("two.tif"));
        Files.write(folder.resolve("b_truncated.tif"), java.util.Arrays.copyOf(two, 300)); // not even one image
        Files.copy(in.resolve("one.tif"), folder.resolve("c_zero_box.tif"));
        Files.copy(in.resolve("one.tif"), folder.resolve("d_no_boxes.tif"));
        Files.copy(in.resolve("one.tif"), folder.resolve("e_good.tif"));
        double[] b = firstBoxes(E2e.truth(in.resolve("one.csv"))).get(0);
        String box = b[0] + "," + b[1] + "," + b[2] + "," + b[3];
        String boxes = E2e.write(tmp, "mixed-boxes.csv", "image,x,y,w,h\na_good.tif," + box + "\nb_truncated.tif," + box
                + "\nc_zero_box.tif," + b[0] + "," + b[1] + ",0," + b[3] + "\ne_good.tif," + box + "\n");
        Path out = tmp.resolve("out-mixed");
        E2e.Run r = E2e.macro(E2e.macro("track_folder.ijm"), "input=[" + folder + "] output=[" + out + "] boxes=[" + boxes
                + "] device=cpu");
        assertEquals(0, r.code, r.out + r.err);
        assertTrue(r.out.contains("track_folder: 2 image(s) tracked, 3 skipped, into " + out), r.out);
        assertTrue(r.out.contains("  skipped b_truncated.tif: Cannot open ") && r.out.contains("truncated"), r.out);
        assertTrue(r.out.contains("  skipped c_zero_box.tif: box 1 (") && r.out.contains("has zero width or height"), r.out);
        assertTrue(r.out.contains("  skipped d_no_boxes.tif: no initial boxes"), r.out);
        checkOutputs(out, "a_good", List.of(b), 8, null);
        checkOutputs(out, "e_good", List.of(b), 8, null);
        for (String skipped : new String[] {"b_truncated", "c_zero_box", "d_no_boxes"}) {
            assertTrue(!Files.exists(out.resolve(skipped + "_tracks.csv")), skipped);
        }
    }

    @Test
    void trackStackWritesTableStackAndPlot() throws Exception {
        Path out = tmp.resolve("out-stack");
        double[] b = firstBoxes(E2e.truth(in.resolve("one.csv"))).get(0);
        E2e.Run r = E2e.macro(E2e.macro("track_stack.ijm"), "image=[" + in.resolve("one.tif") + "] boxes=[" + b[0] + "," + b[1]
                + "," + b[2] + "," + b[3] + "] first_frame=3 last_frame=7 device=cpu output=[" + out + "]"); // frames from 1
        assertEquals(0, r.code, r.err);
        List<Map<String, String>> rows = E2e.readCsv(out.resolve("one_tracks.csv"));
        assertEquals(5, rows.size());
        assertEquals(2, E2e.num(rows.get(0), "FRAME"));
        assertEquals(6, E2e.num(rows.get(4), "FRAME"));
        ImagePlus plot = IJ.openImage(out.resolve("one_confidence.png").toString());
        assertEquals(720, plot.getWidth() > 700 ? 720 : plot.getWidth(), "the confidence plot should be about 720 px wide");
        ImagePlus stack = IJ.openImage(out.resolve("one_tracked.tif").toString());
        assertEquals(5, stack.getStackSize());
        assertEquals(ImagePlus.COLOR_RGB, stack.getType());
    }

    /** Boxes of every track in frame 0, in track id order. */
    static List<double[]> firstBoxes(Map<Integer, Map<Integer, double[]>> truth) {
        List<double[]> boxes = new ArrayList<>();
        for (Integer id : new TreeSet<>(truth.keySet())) {
            boxes.add(truth.get(id).get(0));
        }
        return boxes;
    }

    static double[] bounds(Roi roi) {
        java.awt.geom.Rectangle2D.Double r = roi.getFloatBounds();
        return new double[] {r.x, r.y, r.width, r.height};
    }

    /**
     * The CSV has one row per target and frame with the given first-frame boxes; the annotated TIFF is an
     * RGB stack of every frame with each target's box drawn in its colour; with ground truth, the tracked
     * centres stay near the true ones.
     */
    static void checkOutputs(Path out, String stem, List<double[]> boxes, int frames,
                             Map<Integer, Map<Integer, double[]>> truth) throws IOException {
        List<Map<String, String>> rows = E2e.readCsv(out.resolve(stem + "_tracks.csv"));
        assertEquals(boxes.size() * frames, rows.size(), stem + ": one row per target and frame");
        Set<String> states = Set.of("tracked", "uncertain", "lost");
        Set<String> peakStates = Set.of("normal", "uncertain", "hard_negative", "not_found", "no_signal");
        for (Map<String, String> row : rows) {
            assertTrue(states.contains(row.get("state")), row.toString());
            assertTrue(peakStates.contains(row.get("peak_state")), row.toString());
            double conf = E2e.num(row, "QUALITY");
            assertTrue(conf > 0 && conf <= 1, row.toString());
        }
        for (int t = 0; t < boxes.size(); t++) {
            Map<String, String> first = rows.get(t * frames); // rows by track, then frame
            assertEquals(t, (int) E2e.num(first, "TRACK_ID"));
            assertEquals(0, (int) E2e.num(first, "FRAME"));
            double[] b = boxes.get(t);
            assertEquals(b[0], E2e.num(first, "x"), 1e-3, stem + " target " + t + " x");
            assertEquals(b[1], E2e.num(first, "y"), 1e-3);
            assertEquals(b[2], E2e.num(first, "w"), 1e-3);
            assertEquals(b[3], E2e.num(first, "h"), 1e-3);
        }
        if (truth != null) {
            List<Integer> ids = new ArrayList<>(new TreeSet<>(truth.keySet()));
            double error = 0;
            int n = 0;
            for (Map<String, String> row : rows) {
                if (!Double.isNaN(E2e.num(row, "cx"))) {
                    double[] gt = truth.get(ids.get((int) E2e.num(row, "TRACK_ID"))).get((int) E2e.num(row, "FRAME"));
                    error += Math.hypot(E2e.num(row, "cx") - (gt[0] + gt[2] / 2), E2e.num(row, "cy") - (gt[1] + gt[3] / 2));
                    n++;
                }
            }
            System.out.printf("%s: mean centre error %.2f px over %d boxes%n", stem, error / n, n);
            assertTrue(error / n < 10, stem + ": mean centre error " + error / n + " px; the targets should be followed");
        }
        ImagePlus stack = IJ.openImage(out.resolve(stem + "_tracked.tif").toString());
        assertEquals(frames, stack.getStackSize());
        assertEquals(ImagePlus.COLOR_RGB, stack.getType());
        Color[] colours = {Color.YELLOW, Color.CYAN};
        for (int t = 0; t < boxes.size(); t++) {
            double[] b = boxes.get(t);
            int x = (int) Math.round(b[0]) + (int) Math.round(b[2]) / 2;
            int y = (int) Math.round(b[1]) + (int) Math.round(b[3]) - 1; // bottom edge (the label sits above the top one)
            int rgb = stack.getStack().getProcessor(1).getPixel(x, y) & 0xffffff;
            assertEquals(colours[t].getRGB() & 0xffffff, rgb, stem + ": target " + t + "'s box drawn at " + x + "," + y);
        }
    }
}
