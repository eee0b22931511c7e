package org.prdimp.fiji.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import ij.process.ShortProcessor;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import org.prdimp.fiji.engine.TestPaths;

/** The SciJava command (script editor, PyImageJ) runs the same tracking and returns the table. */
class PrdimpTrackCommandTest {
    static Context context;

    @BeforeAll
    static void start() {
        System.setProperty("prdimp.models.dir", TestPaths.models().toString());
        context = new Context(CommandService.class);
    }

    @AfterAll
    static void stop() {
        context.dispose();
    }

    /** A 16-bit square moving down by 2 px per frame. */
    static ImagePlus movingSquare16(int frames) {
        ImageStack stack = new ImageStack(96, 96);
        for (int f = 0; f < frames; f++) {
            ShortProcessor ip = new ShortProcessor(96, 96);
            ip.setValue(300);
            ip.fill();
            ip.setValue(4000);
            ip.fillRect(40, 10 + 2 * f, 14, 14);
            stack.addSlice(ip);
        }
        return new ImagePlus("square16", stack);
    }

    @Test
    void tracksTheRoiAndReturnsTheTable() throws Exception {
        ImagePlus imp = movingSquare16(8);
        imp.setRoi(new Roi(40, 10, 14, 14));
        CommandModule m = context.service(CommandService.class).run(PrdimpTrackCommand.class, true, "image", imp,
                "device", "cpu", "saveCsv", false).get();
        assertFalse(m.isCanceled(), String.valueOf(m.getCancelReason()));
        ResultsTable t = (ResultsTable) m.getOutput("tracks");
        assertEquals(8, t.size());
        assertEquals(8, (int) m.getOutput("framesTracked"));
        assertEquals(47, t.getValue("cx", 0), 1e-9);
        assertEquals(17 + 14, t.getValue("cy", 7), 3.0, "the square moved 14 px down");
        assertTrue(((String) m.getOutput("summary")).contains("1 target(s), 1 anchor(s), both, frames 1-8: 8 frame(s)"));
        assertTrue(imp.getOverlay() != null && imp.getOverlay().size() > 0);
    }

    @Test
    void badInputCancelsWithTheReason() throws Exception {
        ImagePlus imp = movingSquare16(4);
        CommandModule m = context.service(CommandService.class).run(PrdimpTrackCommand.class, true, "image", imp,
                "targets", "boxes", "boxes", "500,500,10,10", "device", "cpu").get();
        assertTrue(m.isCanceled());
        assertTrue(m.getCancelReason().contains("lies outside the 96x96 image"), m.getCancelReason());
        CommandModule bad = context.service(CommandService.class).run(PrdimpTrackCommand.class, true, "image", imp,
                "targets", "boxes", "boxes", "40,10,14,14", "device", "cpu", "trackerParameters", "no_such_key=1").get();
        assertTrue(bad.isCanceled());
        assertTrue(bad.getCancelReason().startsWith("tracker_parameters: unknown tracker parameter 'no_such_key'"),
                bad.getCancelReason());
    }
}
