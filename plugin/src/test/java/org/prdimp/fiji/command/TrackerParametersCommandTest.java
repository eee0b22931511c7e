package org.prdimp.fiji.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.measure.ResultsTable;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.prdimp.fiji.engine.TestPaths;

/**
 * The menu command "PrDiMP Track" run from macro options, headless as a macro runs it: with
 * {@code tracker_parameters=[box_refinement_size_rate=0]} the default model keeps every given box size on the
 * bundled sample, while the same model as written changes some (the second run on the same image is not
 * served from the first run's passes); a bad pair is one bad-input line and nothing is tracked.
 */
class TrackerParametersCommandTest {
    private static final Path SAMPLE = Paths.get("src/main/resources/org/prdimp/fiji/sample/synthetic-nuclei");
    private static final int FRAMES = 8;
    private static ImagePlus imp;
    private static List<double[]> given;

    @BeforeAll
    static void open() throws Exception {
        System.setProperty("prdimp.models.dir", TestPaths.models().toString());
        imp = IJ.openImage(SAMPLE + ".tif");
        given = Files.readAllLines(Paths.get(SAMPLE + ".csv")).stream().skip(1).map(l -> l.split(","))
                .filter(f -> f[1].equals("0")).limit(2)
                .map(f -> new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                        Double.parseDouble(f[5])})
                .collect(Collectors.toList());
        MacroErrors.take();
    }

    @AfterAll
    static void close() {
        WindowManager.setTempCurrentImage(null);
        imp.close();
    }

    /** Runs the menu command on the sample with these macro options (on a thread named as ImageJ's macro threads). */
    private static ResultsTable command(String more) throws Exception {
        String boxes = given.stream().map(b -> String.format(Locale.ROOT, "%.3f,%.3f,%.3f,%.3f", b[0], b[1], b[2], b[3]))
                .collect(Collectors.joining(";"));
        String options = "targets=boxes boxes=[" + boxes + "] last_frame=" + FRAMES + " model=["
                + TestPaths.models().resolve("default") + "] axis=time device=cpu results_table " + more;
        ResultsTable rt = ResultsTable.getResultsTable();
        rt.reset();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                Macro.setOptions(Thread.currentThread(), options);
                WindowManager.setTempCurrentImage(imp);
                new PrdimpTrack().run("");
            } catch (Throwable e) {
                thrown.set(e);
            } finally {
                Macro.setOptions(Thread.currentThread(), null);
            }
        }, "Run$_tracker_parameters");
        t.start();
        t.join();
        assertNull(thrown.get());
        return rt;
    }

    /** Rows whose w or h (two decimals) differ from their target's given box. */
    private static int sizesChanged(ResultsTable rt) {
        int changed = 0;
        for (int i = 0; i < rt.size(); i++) {
            double[] g = given.get((int) rt.getValue("TRACK_ID", i));
            if (!twoDecimals(rt.getValue("w", i)).equals(twoDecimals(g[2]))
                    || !twoDecimals(rt.getValue("h", i)).equals(twoDecimals(g[3]))) {
                changed++;
            }
        }
        return changed;
    }

    private static String twoDecimals(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    @Test
    void sizeRateZeroKeepsTheGivenSizesThroughTheMenuCommand() throws Exception {
        ResultsTable plain = command("");
        assertNull(MacroErrors.take());
        assertEquals(2 * FRAMES, plain.size(), "2 targets through " + FRAMES + " frames");
        int changed = sizesChanged(plain);
        System.out.println("menu command without tracker_parameters: " + changed + " of " + plain.size()
                + " boxes changed their size");
        assertTrue(changed > 0, "the default's size rate 0.5 on grey images changes some size");

        ResultsTable kept = command("tracker_parameters=[box_refinement_size_rate=0]");
        assertNull(MacroErrors.take());
        assertEquals(2 * FRAMES, kept.size());
        assertEquals(0, sizesChanged(kept), "the size rate 0 keeps every box's given w,h");
    }

    @Test
    void aBadPairIsOneBadInputLineAndNothingIsTracked() throws Exception {
        ResultsTable rt = command("tracker_parameters=[box_refinement_size_rate=fast]");
        String error = MacroErrors.take();
        assertEquals("tracker_parameters: the tracker parameter box_refinement_size_rate must be a number, not 'fast'",
                error);
        assertTrue(MacroErrors.badInput());
        assertEquals(0, rt.size(), "nothing tracked");
        assertFalse(error.contains("\n"));
    }
}
