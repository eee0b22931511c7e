package org.prdimp.fiji.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import ij.gui.Roi;
import ij.io.RoiEncoder;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "PrDiMP Track" as a Fiji user meets it, in headless macros on a real synthetic time-lapse with ground
 * truth: a ROI drawn on frame 11 of a hyperstack is tracked backward to frame 1 and forward to the end
 * and follows its object both ways; a second ROI of the same object (same group) on a later frame
 * re-anchors the track there and only that stretch is tracked again; the user's Results table and
 * existing files are left alone.
 */
class TwoWayTrackingTest {
    private static final int FRAMES = 20;
    @TempDir
    static Path tmp;
    static Path stack;
    static Map<Integer, Map<Integer, double[]>> truth;
    static List<Integer> ids;

    @BeforeAll
    static void data() throws Exception {
        E2e.synthetic(tmp, "cells", "--preset", "fast", "--frames", String.valueOf(FRAMES), "--objects", "2", "--seed", "7");
        stack = tmp.resolve("cells.tif");
        truth = E2e.truth(tmp.resolve("cells.csv"));
        ids = new ArrayList<>(new TreeSet<>(truth.keySet()));
    }

    private static double[] gt(int object, int frame) {
        return truth.get(ids.get(object)).get(frame);
    }

    private static String rect(double[] b) {
        return Math.round(b[0]) + ", " + Math.round(b[1]) + ", " + Math.round(b[2]) + ", " + Math.round(b[3]);
    }

    /** Centre distance of a table row (cx, cy) to an object's true centre on the row's FRAME. */
    private static double error(Map<String, String> row, int object) {
        double[] g = gt(object, (int) E2e.num(row, "FRAME"));
        return Math.hypot(E2e.num(row, "cx") - (g[0] + g[2] / 2), E2e.num(row, "cy") - (g[1] + g[3] / 2));
    }

    @Test
    void roiOnFrame11IsTrackedBackwardAndForwardThenACorrectionReanchorsIt() throws Exception {
        // the correction: the same object (ROI group 1) re-drawn on frame 16 around the OTHER nucleus,
        // so that the re-anchoring shows: from frame 16 on, the track follows object 1
        double[] a = gt(0, 10);
        double[] b = gt(1, 15);
        Roi first = new Roi(Math.round(a[0]), Math.round(a[1]), Math.round(a[2]), Math.round(a[3]));
        first.setPosition(1, 1, 11);
        first.setGroup(1);
        Roi correction = new Roi(Math.round(b[0]), Math.round(b[1]), Math.round(b[2]), Math.round(b[3]));
        correction.setPosition(1, 1, 16);
        correction.setGroup(1);
        Path zip = tmp.resolve("anchors.zip");
        try (ZipOutputStream out = new ZipOutputStream(new FileOutputStream(zip.toFile()))) {
            int i = 0;
            for (Roi r : new Roi[] {first, correction}) {
                out.putNextEntry(new ZipEntry("anchor" + i++ + ".roi"));
                out.write(RoiEncoder.saveAsByteArray(r));
                out.closeEntry();
            }
        }
        Path run1 = tmp.resolve("run1.csv");
        Path run2 = tmp.resolve("run2.csv");
        Path forward = tmp.resolve("forward.csv");
        E2e.Run r = E2e.macro(Path.of(E2e.write(tmp, "twoway.ijm", String.join("\n",
                "open(getArgument());",
                "run(\"Stack to Hyperstack...\", \"order=xyczt(default) channels=1 slices=1 frames=" + FRAMES
                        + " display=Grayscale\");",
                "Stack.getDimensions(w, h, channels, slices, frames);",
                "print(\"dimensions=\" + channels + \" channel, \" + slices + \" slice, \" + frames + \" frames\");",
                "Stack.setFrame(11);",
                "makeRectangle(" + rect(a) + ");",
                "run(\"PrDiMP Track\", \"device=cpu results_table\");",
                "saveAs(\"Results\", \"" + run1 + "\");",
                "run(\"PrDiMP Track\", \"device=cpu direction=forward results_table\");",
                "saveAs(\"Results\", \"" + forward + "\");",
                "run(\"Select None\");",
                "run(\"PrDiMP Track\", \"targets=roi_file roi_file=[" + zip + "] device=cpu results_table\");",
                "saveAs(\"Results\", \"" + run2 + "\");"))), stack.toString());
        assertEquals(0, r.code, r.err);
        assertEquals("1 channel, 1 slice, " + FRAMES + " frames", E2e.printed(r.out, "dimensions"));
        assertTrue(r.out.contains("PrDiMP Track: 1 target(s), 1 anchor(s), both, frames 1-20: 20 frame(s)"), r.out);

        // run 1: frames 1-10 backward, 11-20 forward, the nucleus followed both ways
        List<Map<String, String>> rows = E2e.readCsv(run1);
        assertEquals(FRAMES, rows.size());
        double before = 0;
        double after = 0;
        for (int f = 0; f < FRAMES; f++) {
            Map<String, String> row = rows.get(f);
            assertEquals(f, (int) E2e.num(row, "FRAME"));
            assertEquals(f + 1, (int) E2e.num(row, "T"));
            assertEquals(f == 10 ? 1 : 0, (int) E2e.num(row, "anchor"), "the anchor is frame 11");
            double e = error(row, 0);
            assertTrue(e < 12, "frame " + (f + 1) + ": " + e + " px from the nucleus");
            if (f < 10) {
                before += e / 10;
            } else {
                after += e / 10;
            }
        }
        System.out.printf("two-way: mean centre error %.2f px on frames 1-10 (backward), %.2f px on 11-20 (forward)%n",
                before, after);
        assertTrue(before < 6 && after < 6, before + " / " + after);
        assertEquals(Math.round(a[0]), E2e.num(rows.get(10), "x"), 1e-6, "frame 11 holds the drawn box");
        // direction=forward: only frames 11-20, identical to the two-way run there
        List<Map<String, String>> fw = E2e.readCsv(forward);
        assertEquals(10, fw.size());
        for (int i = 0; i < 10; i++) {
            assertEquals(rows.get(10 + i).get("cx"), fw.get(i).get("cx"));
        }

        // run 2: group 1 = one object with anchors on frames 11 and 16
        List<Map<String, String>> corrected = E2e.readCsv(run2);
        assertEquals(FRAMES, corrected.size());
        for (int f = 0; f < FRAMES; f++) {
            Map<String, String> row = corrected.get(f);
            assertEquals(0, (int) E2e.num(row, "TRACK_ID"), "one object");
            if (f < 15) {
                assertEquals(rows.get(f).get("cx"), row.get("cx"), "frame " + (f + 1) + " is unchanged");
            } else {
                assertTrue(error(row, 1) < 12, "frame " + (f + 1) + " follows the re-anchored object: " + error(row, 1));
            }
        }
        assertEquals(1, (int) E2e.num(corrected.get(15), "anchor"));
        assertTrue(r.out.contains("1 target(s), 2 anchor(s), both, frames 1-20: 20 frame(s)")
                && r.out.contains("(5 target-frame(s) tracked, 15 target-frame(s) reused from the previous run)"), r.out);
    }

    @Test
    void theUsersResultsTableAndFilesAreLeftAlone() throws Exception {
        Path csv = tmp.resolve("cells_prdimp.csv");
        Files.deleteIfExists(csv);
        E2e.Run r = E2e.macro(Path.of(E2e.write(tmp, "tables.ijm", String.join("\n",
                "open(getArgument());",
                "setResult(\"Area\", 0, 42);",
                "updateResults();",
                "makeRectangle(" + rect(gt(0, 0)) + ");",
                "run(\"PrDiMP Track\", \"device=cpu last_frame=6 overlay save_csv\");",
                "print(\"rows=\" + nResults + \" area=\" + getResult(\"Area\", 0));",
                "run(\"PrDiMP Track\", \"device=cpu last_frame=6 save_csv\");"))), stack.toString());
        assertEquals(0, r.code, r.err);
        assertEquals("1 area=42", E2e.printed(r.out, "rows"), "the earlier measurement survives");
        assertEquals(6, E2e.readCsv(csv).size(), "frames 1-6");
        String firstCsv = Files.readString(csv);
        Path second = tmp.resolve("cells_prdimp-2.csv");
        assertTrue(Files.exists(second), r.out);
        assertEquals(firstCsv, Files.readString(csv), "the first CSV is not replaced");
        assertTrue(r.out.contains("cells_prdimp.csv exists and is kept; the results go to cells_prdimp-2.csv"), r.out);
        // the z-stack question, headless: the log says which axis is tracked
        assertTrue(r.out.contains("has 1 time point and " + FRAMES + " z-slices: tracking through the z-slices"), r.out);
    }
}
