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

import org.prdimp.fiji.engine.TestPaths;
import org.prdimp.fiji.run.ResultsCsv;
import org.prdimp.fiji.run.TrackingException;

/**
 * The run the Fiji command and the SciJava command share, with the real engine on a real TIFF stack:
 * Esc cancels and keeps every frame tracked (table, CSV next to the image, overlay), boxes come from
 * the ROI or from text, the overlay is positioned frame by frame and coloured by confidence.
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
        ResultsTable table = new ResultsTable();
        ImageTracking.Result r = ImageTracking.run(imp, o, null, table, IJ::escapePressed, null, (frame, results) -> {
            if (frame == 3) {
                IJ.setKeyDown(KeyEvent.VK_ESCAPE); // what pressing Esc in ImageJ does
            }
        });
        assertTrue(r.outcome.cancelled);
        assertEquals(4, r.outcome.framesTracked);
        assertEquals(8, table.size(), "2 targets x frames 0-3 kept in the table");
        assertEquals(3, (int) table.getValue("frame", 7));
        Path csv = tmp.resolve("squares" + ImageTracking.CSV_SUFFIX);
        assertEquals(csv, r.csv);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(ResultsCsv.HEADER, lines.get(0));
        assertEquals(9, lines.size(), "the CSV next to the image keeps the 8 rows");
        Overlay overlay = imp.getOverlay();
        int boxes = 0;
        for (Roi roi : overlay.toArray()) {
            if (roi.getName().endsWith(" box")) {
                boxes++;
                int frame = Integer.parseInt(roi.getName().split(" ")[2]);
                assertEquals(frame + 1, roi.getPosition(), "each box sits on its own frame");
                assertEquals(TrackRois.colour(table.getValue("confidence",
                        2 * frame + Integer.parseInt(roi.getName().split(" ")[1]))), roi.getStrokeColor());
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
        o.saveCsv = false;
        ResultsTable table = new ResultsTable();
        ImageTracking.Result r = ImageTracking.run(imp, o, null, table, () -> false, null, null);
        assertTrue(r.outcome.complete());
        assertNull(r.csv);
        assertEquals(10, table.size());
        assertEquals(18, table.getValue("x", 0), 1e-9);
        assertEquals(16, table.getValue("w", 0), 1e-9);
        // the square's centre moves 3 px per frame from x = 26
        assertEquals(26 + 27, table.getValue("cx", 9), 3.0);
        assertEquals("normal", table.getStringValue("peak_state", 9));
        assertEquals("tracked", table.getStringValue("state", 9));
    }

    @Test
    void badInputIsOneLine() {
        ImagePlus imp = movingSquares(5);
        TrackOptions o = options();
        TrackingException none = assertThrows(TrackingException.class,
                () -> ImageTracking.run(imp, o, null, new ResultsTable(), () -> false, null, null));
        assertTrue(none.getMessage().startsWith("no target: draw a rectangle"), none.getMessage());
        o.targets = "boxes";
        o.boxes = "1,2,3";
        TrackingException bad = assertThrows(TrackingException.class,
                () -> ImageTracking.run(imp, o, null, new ResultsTable(), () -> false, null, null));
        assertTrue(bad.getMessage().contains("must be four numbers x,y,w,h"), bad.getMessage());
        o.targets = "roi_file";
        o.roiFile = tmp.resolve("missing.zip").toString();
        TrackingException file = assertThrows(TrackingException.class,
                () -> ImageTracking.run(imp, o, null, new ResultsTable(), () -> false, null, null));
        assertTrue(file.getMessage().contains("does not exist"), file.getMessage());
        TrackingException noImage = assertThrows(TrackingException.class,
                () -> ImageTracking.run(null, o, null, new ResultsTable(), () -> false, null, null));
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
