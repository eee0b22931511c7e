package org.prdimp.fiji.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.event.KeyEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.io.FileSaver;
import ij.measure.ResultsTable;
import ij.process.ByteProcessor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.prdimp.fiji.engine.JnaCheck;
import org.prdimp.fiji.engine.TestPaths;
import org.prdimp.fiji.run.ResultsCsv;
import org.prdimp.fiji.run.TrackingException;

/**
 * The run the Fiji command and the SciJava command share, with the real engine on a real TIFF stack:
 * Esc cancels and keeps every frame tracked (table, CSV next to the image, overlay), boxes come from
 * the ROI or from text, the overlay is positioned frame by frame and coloured by confidence, a box on
 * a middle frame is tracked both ways, a second box of one object re-anchors it and only its stretch
 * is tracked again, the Results table and existing files are left alone.
 */
class ImageTrackingTest {
    @TempDir
    Path tmp;

    @AfterEach
    void resetEscape() {
        IJ.resetEscape();
    }

    /** Two bright squares moving right by 3 px per frame, saved as a TIFF stack and opened again. */
    private ImagePlus movingSquares(int frames) {
        ImageStack stack = new ImageStack(128, 96);
        for (int f = 0; f < frames; f++) {
            ByteProcessor ip = new ByteProcessor(128, 96);
            ip.setValue(20);
            ip.fill();
            ip.setValue(220);
            ip.fillRect(20 + 3 * f, 20, 12, 12);
            ip.fillRect(30 + 3 * f, 60, 14, 10);
            stack.addSlice(ip);
        }
        Path file = tmp.resolve("squares.tif");
        new FileSaver(new ImagePlus("squares", stack)).saveAsTiffStack(file.toString());
        return IJ.openImage(file.toString());
    }

    private static TrackOptions options() {
        TrackOptions o = new TrackOptions();
        System.setProperty("prdimp.models.dir", TestPaths.models().toString());
        o.device = "cpu";
        o.confidencePlot = false;
        o.roiManager = false;
        return o;
    }

    @Test
    void escapeCancelsAndKeepsTheFramesTracked() throws Exception {
        ImagePlus imp = movingSquares(12);
        TrackOptions o = options();
        o.targets = "boxes";
        o.boxes = "20,20,12,12; 30,60,14,10";
        o.saveCsv = true;
        o.resultsTable = true;
        ResultsTable results = new ResultsTable();
        ImageTracking.Result r = ImageTracking.run(imp, o, null, results, false, IJ::escapePressed, null, (frame, rs) -> {
            if (frame == 3) {
                IJ.setKeyDown(KeyEvent.VK_ESCAPE); // what pressing Esc in ImageJ does
            }
        });
        ResultsTable table = r.table;
        assertTrue(r.outcome.cancelled);
        assertEquals(4, r.outcome.framesTracked);
        assertEquals(8, table.size(), "2 targets x frames 0-3 kept in the table");
        assertEquals(8, results.size(), "and in the Results table, asked for");
        // rows by track, then frame
        assertEquals(1, (int) table.getValue("TRACK_ID", 7));
        assertEquals(3, (int) table.getValue("FRAME", 7));
        assertEquals(4, (int) table.getValue("T", 7));
        Path csv = ResultsCsv.partialName(tmp.resolve("squares" + ImageTracking.CSV_SUFFIX)); // cancelled: .partial.csv
        assertEquals(csv, r.csv);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(ResultsCsv.HEADER, lines.get(0));
        assertEquals(9, lines.size(), "the CSV next to the image keeps the 8 rows");
        Overlay overlay = imp.getOverlay();
        int boxes = 0;
        for (Roi roi : overlay.toArray()) {
            if (roi.getName().endsWith(" box")) {
                boxes++;
                int target = Integer.parseInt(roi.getName().split(" ")[1]);
                int frame = Integer.parseInt(roi.getName().split(" ")[2]);
                assertEquals(frame + 1, roi.getPosition(), "each box sits on its own frame");
                assertEquals(TrackRois.colour(table.getValue("QUALITY", 4 * target + frame)), roi.getStrokeColor());
            }
        }
        assertEquals(8, boxes);
        assertTrue(r.summary().contains("cancelled; the frames tracked are kept"), r.summary());
    }

    @Test
    void roiBoundsAreTheInitialBoxAndTheSquareIsFollowed() throws Exception {
        ImagePlus imp = movingSquares(10);
        imp.setRoi(new ij.gui.OvalRoi(18, 18, 16, 16)); // any shape: its bounds
        TrackOptions o = options();
        ResultsTable results = new ResultsTable();
        results.incrementCounter();
        results.addValue("Area", 42); // the user's own measurement
        ImageTracking.Result r = ImageTracking.run(imp, o, null, results, false, () -> false, null, null);
        assertTrue(r.outcome.complete());
        assertNull(r.csv, "no CSV unless asked");
        assertEquals(1, results.size(), "the Results table is left alone without results_table");
        assertEquals(42, results.getValue("Area", 0), 0);
        ResultsTable table = r.table;
        assertEquals(10, table.size());
        assertEquals(18, table.getValue("x", 0), 1e-9);
        assertEquals(16, table.getValue("w", 0), 1e-9);
        // the square's centre moves 3 px per frame from x = 26
        assertEquals(26 + 27, table.getValue("cx", 9), 3.0);
        assertEquals(26 + 27, table.getValue("POSITION_X", 9), 3.0);
        assertTrue(table.columnExists("x [pixel]") && table.columnExists("t [slice]"), table.getColumnHeadings());
        assertEquals("normal", table.getStringValue("peak_state", 9));
        assertEquals("tracked", table.getStringValue("state", 9));
    }

    @Test
    void anAnchorInTheMiddleIsTrackedBothWays() throws Exception {
        ImagePlus imp = movingSquares(12);
        TrackOptions o = options();
        o.targets = "boxes";
        o.boxes = "35,20,12,12@6"; // square A on frame 6 (1-based): x = 20 + 3 x 5
        ImageTracking.Result r = ImageTracking.run(imp, o, null, null, false, () -> false, null, null);
        assertTrue(r.outcome.complete(), r.summary());
        ResultsTable t = r.table;
        assertEquals(12, t.size(), "frames 1-5 backward, 6-12 forward");
        for (int f = 0; f < 12; f++) {
            assertEquals(f, (int) t.getValue("FRAME", f));
            assertEquals(26 + 3 * f, t.getValue("cx", f), 3.0, "frame " + f);
            assertEquals(26, t.getValue("cy", f), 3.0, "frame " + f);
            assertEquals(f == 5 ? 1 : 0, (int) t.getValue("anchor", f));
        }
        o.direction = "forward";
        ImageTracking.Result forward = ImageTracking.run(imp, o, null, null, false, () -> false, null, null);
        assertEquals(7, forward.table.size(), "forward only: frames 6-12");
        assertEquals(5, (int) forward.table.getValue("FRAME", 0));
    }

    @Test
    void aSecondAnchorReanchorsAndOnlyItsStretchIsTrackedAgain() throws Exception {
        ImagePlus imp = movingSquares(12);
        TrackOptions o = options();
        o.targets = "boxes";
        o.boxes = "a:20,20,12,12@1";
        ImageTracking.Result first = ImageTracking.run(imp, o, null, null, false, () -> false, null, null);
        assertEquals(12, first.computed);
        assertEquals(0, first.reused);
        assertEquals(26, first.table.getValue("cy", 11), 3.0, "square A all along");
        // the same object re-drawn on frame 8 (1-based) around square B: from there on the track follows B
        o.boxes = "a:20,20,12,12@1; a:51,60,14,10@8";
        ImageTracking.Result second = ImageTracking.run(imp, o, null, null, false, () -> false, null, null);
        assertTrue(second.outcome.complete(), second.summary());
        assertEquals(1, second.targets);
        assertEquals(2, second.anchors);
        assertEquals(12, second.table.size());
        assertEquals(5, second.computed, "only frames 8-12 tracked again");
        assertEquals(7, second.reused, "frames 1-7 come from the previous run's pass");
        for (int f = 0; f < 12; f++) {
            double cy = second.table.getValue("cy", f);
            assertEquals(f < 7 ? 26 : 65, cy, 3.0, "frame " + f);
            if (f < 7) {
                assertEquals(first.table.getValue("cx", f), second.table.getValue("cx", f), 0, "reused frame " + f);
            }
        }
        assertTrue(second.summary().contains("reused from the previous run"), second.summary());
    }

    @Test
    void theCsvNeverReplacesAFile() throws Exception {
        ImagePlus imp = movingSquares(6);
        TrackOptions o = options();
        o.targets = "boxes";
        o.boxes = "20,20,12,12";
        o.saveCsv = true;
        Path csv = tmp.resolve("squares" + ImageTracking.CSV_SUFFIX);
        Files.writeString(csv, "the user's own file\n");
        ImageTracking.Result r = ImageTracking.run(imp, o, null, null, false, () -> false, null, null);
        assertEquals("the user's own file\n", Files.readString(csv));
        assertEquals(tmp.resolve("squares_prdimp-2.csv"), r.csv);
        assertEquals(7, Files.readAllLines(r.csv).size());
        assertTrue(String.join("\n", r.notes).contains("exists and is kept"), r.notes.toString());
    }

    @Test
    void badInputIsOneLine() {
        ImagePlus imp = movingSquares(5);
        TrackOptions o = options();
        TrackingException none = assertThrows(TrackingException.class,
                () -> ImageTracking.run(imp, o, null, null, false, () -> false, null, null));
        assertTrue(none.getMessage().startsWith("no target: draw a rectangle"), none.getMessage());
        o.targets = "boxes";
        o.boxes = "1,2,3";
        TrackingException bad = assertThrows(TrackingException.class,
                () -> ImageTracking.run(imp, o, null, null, false, () -> false, null, null));
        assertTrue(bad.getMessage().contains("must be four numbers x,y,w,h"), bad.getMessage());
        o.boxes = "20,20,12,12@9";
        TrackingException outside = assertThrows(TrackingException.class,
                () -> ImageTracking.run(imp, o, null, null, false, () -> false, null, null));
        assertTrue(outside.getMessage().contains("box on frame 9, outside the frames 1-5"), outside.getMessage());
        o.boxes = "20,20,12,12";
        o.lastFrame = 7;
        TrackingException range = assertThrows(TrackingException.class,
                () -> ImageTracking.run(imp, o, null, null, false, () -> false, null, null));
        assertTrue(range.getMessage().contains("last_frame=7 does not fit the 5 frames"), range.getMessage());
        o.lastFrame = 0;
        o.targets = "roi_file";
        o.roiFile = tmp.resolve("missing.zip").toString();
        TrackingException file = assertThrows(TrackingException.class,
                () -> ImageTracking.run(imp, o, null, null, false, () -> false, null, null));
        assertTrue(file.getMessage().contains("does not exist"), file.getMessage());
        TrackingException noImage = assertThrows(TrackingException.class,
                () -> ImageTracking.run(null, o, null, null, false, () -> false, null, null));
        assertFalse(noImage.getMessage().contains("\n"));
    }

    @Test
    void jnaOnTheClassPathIsRecognised() {
        assertEquals(JnaCheck.TESTED, JnaCheck.version(), "the build pins JNA " + JnaCheck.TESTED);
        assertNull(JnaCheck.problem());
        assertTrue(JnaCheck.compare("4.5.2", JnaCheck.TESTED) < 0);
        assertTrue(JnaCheck.compare("5.17.0", JnaCheck.TESTED) > 0);
        assertTrue(JnaCheck.diagnosis(new NoSuchMethodError("com.sun.jna.Native.load")).contains("JNA 5.14.0 from"));
    }
}
