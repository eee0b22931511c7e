package org.prdimp.fiji.command;

import java.awt.GraphicsEnvironment;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.gui.YesNoCancelDialog;
import ij.macro.Interpreter;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;
import ij.plugin.frame.RoiManager;

import org.prdimp.fiji.run.TrackingException;

/**
 * The ImageJ menu command Plugins > Tracking > PrDiMP Track (registered by the jar's
 * {@code plugins.config}). With a dialog (or a macro's options, checked by {@link TrackOptions#fromMacro})
 * it tracks the image's ROI, or every ROI in the ROI Manager, from each ROI's own frame forward and
 * backward through the shared run ({@link ImageTracking}). Results go to the table "PrDiMP tracks";
 * the system Results table is written only with {@code results_table} (a macro whose options name no
 * output gets {@link TrackOptions#MACRO_OUTPUTS}, so {@code getResult} works, headless too); the overlay,
 * and on request the ROI Manager, a CSV next to the image and a confidence plot. A stack whose frames
 * are stored as z-slices: the dialog asks whether they are time points; headless, the log says which
 * axis is tracked. Bad input gives one message (an error dialog; in a macro it aborts the macro with
 * that message).
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
        String options = Macro.getOptions();
        boolean inMacro = options != null || Interpreter.getInstance() != null;
        if (imp == null) {
            fail(true, "no image: open a time-lapse (or a z-stack) and draw an ROI around the target first");
            return;
        }
        boolean stackOfSlices = imp.getNFrames() == 1 && imp.getNSlices() > 1;
        boolean slicesAsTime = false;
        TrackOptions o;
        try {
            if (options != null) {
                o = TrackOptions.fromMacro(options);
            } else if (headless || IJ.getInstance() == null) {
                o = TrackOptions.macroDefaults();
            } else {
                boolean alongTime = imp.getNFrames() > 1 || imp.getNSlices() == 1;
                int frameCount = alongTime ? imp.getNFrames() : imp.getNSlices();
                TrackOptions defaults = new TrackOptions();
                if (stackOfSlices) {
                    // as TrackMate asks: the answer becomes the dialog's axis (and is recorded with it)
                    YesNoCancelDialog q = new YesNoCancelDialog(IJ.getInstance(), COMMAND, imp.getTitle() + " stores its "
                            + imp.getNSlices() + " frames as z-slices (1 time point).\nAre they time points of a time-lapse?"
                            + "\n(Yes: time-lapse, the time column uses the frame interval; No: track through z.)", "Yes", "No");
                    if (q.cancelPressed()) {
                        return;
                    }
                    defaults.axis = q.yesPressed() ? "time" : "z";
                }
                GenericDialog gd = new GenericDialog(COMMAND);
                defaults.addTo(gd, frameCount, imp.getNChannels());
                gd.addHelp("<html><b>PrDiMP Track</b>: tracks the image's ROI (its bounds) or every ROI of the ROI Manager"
                        + " from the frame it is drawn on (its T position, else the current frame), forward to the last"
                        + " frame and backward to the first (direction). Several ROIs of one object on different frames"
                        + " (same group or name in the ROI Manager) re-start the track at each: draw the right box where a"
                        + " track went wrong and run again; only what changed is tracked again. Frames count from 1 as on"
                        + " the slider. Outputs: the table 'PrDiMP tracks' (TrackMate's column names), the overlay"
                        + " coloured by confidence (red 0, green 0.2 and above) with a +-2 sigma ellipse; on request the"
                        + " Results table, the ROI Manager (one group per track), a confidence plot, NAME_prdimp.csv next"
                        + " to the image (never over an existing file). Esc or Cancel stops and keeps the frames tracked."
                        + " Keys and columns: plugin/README.md of the PrDiMP for Fiji sources (Plugins > Tracking > PrDiMP"
                        + " > PrDiMP Help).</html>");
                gd.showDialog();
                if (gd.wasCanceled()) {
                    return;
                }
                o = TrackOptions.readFrom(gd, frameCount);
            }
        } catch (IllegalArgumentException e) {
            fail(true, e.getMessage());
            return;
        }
        if (stackOfSlices && "time".equals(o.axis)) {
            slicesAsTime = true;
        }
        RoiManager manager = roiManager(o, imp);
        ProgressDisplay progress = headless || Interpreter.isBatchMode() && inMacro ? null : ProgressDisplay.open(imp.getTitle());
        IJ.resetEscape();
        ImageTracking.Result result;
        try {
            result = ImageTracking.run(imp, o, manager, ResultsTable.getResultsTable(), slicesAsTime,
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
        if (!headless) {
            result.table.show(TracksTable.TITLE);
            if (result.toResults) {
                ResultsTable.getResultsTable().show("Results");
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
