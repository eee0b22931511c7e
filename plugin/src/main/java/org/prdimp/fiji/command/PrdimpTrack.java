package org.prdimp.fiji.command;

import java.awt.GraphicsEnvironment;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.macro.Interpreter;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;
import ij.plugin.frame.RoiManager;

import org.prdimp.fiji.run.TrackingException;

/**
 * The ImageJ menu command Plugins > Tracking > PrDiMP Track (registered by the jar's
 * {@code plugins.config}). With a dialog (or a macro's options, see {@link TrackOptions}) it tracks
 * the current image's ROI, or every ROI in the ROI Manager, through the shared run
 * ({@link ImageTracking}); results go to the system Results table (so {@code nResults},
 * {@code getResult} and {@code saveAs("Results", ...)} work in macros; with a display also shown as
 * "PrDiMP tracks"), the ROI Manager, the image's overlay, a CSV next to the image and a confidence plot.
 * Headless, {@code run("PrDiMP Track")} without options uses the defaults. Bad input gives one message
 * (an error dialog; in a macro it aborts the macro with that message).
 */
public final class PrdimpTrack implements PlugIn {
    public static final String COMMAND = "PrDiMP Track";

    @Override
    public void run(String arg) {
        try {
            track();
        } catch (RuntimeException | LinkageError e) {
            if (Macro.MACRO_CANCELED.equals(e.getMessage())) {
                throw e;
            }
            fail(false, "unexpected failure (" + e + "); please report it with the output of ./prdimp doctor");
        }
    }

    private void track() {
        ImagePlus imp = WindowManager.getCurrentImage();
        boolean headless = GraphicsEnvironment.isHeadless();
        boolean inMacro = Macro.getOptions() != null || Interpreter.getInstance() != null;
        if (imp == null) {
            fail(true, "no image: open a time-lapse (or a z-stack) and draw an ROI around the target first");
            return;
        }
        TrackOptions o;
        if (Macro.getOptions() == null && (headless || IJ.getInstance() == null)) {
            o = TrackOptions.headlessDefaults();
        } else {
            GenericDialog gd = new GenericDialog(COMMAND);
            boolean alongTime = imp.getNFrames() > 1 || imp.getNSlices() == 1;
            new TrackOptions().addTo(gd, alongTime ? imp.getNFrames() : imp.getNSlices(), imp.getNChannels());
            gd.addHelp("<html><b>PrDiMP Track</b>: tracks the image's ROI (its bounds) or every ROI of the ROI Manager"
                    + " through the frames. Frames are 0-based. Outputs: the Results table (also 'PrDiMP tracks'),"
                    + " per-frame ROIs, an overlay coloured by confidence (red 0, green 0.2 and above) with a +-2 sigma"
                    + " ellipse, a confidence plot, NAME_prdimp.csv next to the image. Esc or Cancel stops and keeps"
                    + " the frames tracked. Keys and columns: plugin/README.md of the PrDiMP for Fiji sources.</html>");
            gd.showDialog();
            if (gd.wasCanceled()) {
                return;
            }
            o = TrackOptions.readFrom(gd);
        }
        RoiManager manager = roiManager(o, imp);
        ProgressDisplay progress = headless || Interpreter.isBatchMode() && inMacro ? null : ProgressDisplay.open(imp.getTitle());
        IJ.resetEscape();
        ImageTracking.Result result;
        try {
            result = ImageTracking.run(imp, o, manager, ResultsTable.getResultsTable(),
                    () -> IJ.escapePressed() || (progress != null && progress.cancelled()), progress, null);
        } catch (TrackingException e) {
            fail(true, e.getMessage());
            return;
        } finally {
            if (progress != null) {
                progress.close();
            }
        }
        for (String note : result.notes) {
            IJ.log(COMMAND + ": " + note); // headless: to standard output
        }
        show(imp, result, headless);
        IJ.showStatus(result.summary());
        IJ.log(result.summary());
        if (result.outcome.failure != null) {
            fail(false, result.outcome.failure + "; the " + result.outcome.framesTracked + " frame(s) tracked before it are kept");
        }
    }

    /** The ROI Manager (null headless, where ImageJ has none: its window cannot be created). */
    private static RoiManager roiManager(TrackOptions o, ImagePlus imp) {
        if (GraphicsEnvironment.isHeadless()) {
            return null;
        }
        RoiManager rm = RoiManager.getInstance2();
        if (rm == null && Interpreter.isBatchMode()) {
            rm = Interpreter.getBatchModeRoiManager();
        }
        if (rm == null && o.roiManager) {
            rm = RoiManager.getRoiManager();
        }
        return rm;
    }

    private static void show(ImagePlus imp, ImageTracking.Result result, boolean headless) {
        if (result.table != null) {
            if (!headless) {
                result.table.show("Results");
                ((ResultsTable) result.table.clone()).show(TracksTable.TITLE);
            }
        }
        if (result.plot != null) {
            if (headless || Interpreter.isBatchMode()) {
                ImagePlus p = result.plot.getImagePlus();
                p.show();
            } else {
                result.plot.show();
            }
        }
        if (result.annotated != null) {
            result.annotated.show();
        }
        if (result.plot != null || result.annotated != null) {
            if (imp.getWindow() != null) {
                WindowManager.setCurrentWindow(imp.getWindow());
            } else {
                WindowManager.setTempCurrentImage(imp);
            }
        }
        imp.updateAndDraw();
    }

    /** Reports a problem: an error dialog, or in a macro the end of the macro with the message. */
    static void fail(boolean badInput, String message) {
        String line = COMMAND + ": " + message;
        MacroErrors.record(message, badInput);
        Interpreter interp = Interpreter.getInstance();
        if (interp != null) {
            if (MacroErrors.collecting()) {
                interp.setIgnoreErrors(true); // ends the macro without printing; the runner reports the message
            }
            interp.abort(line);
        } else if (GraphicsEnvironment.isHeadless()) {
            System.err.println(line);
        } else {
            IJ.error(COMMAND, message);
        }
    }
}
