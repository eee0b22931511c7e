package org.prdimp.fiji.command;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import ij.plugin.frame.RoiManager;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import org.prdimp.fiji.run.TrackingException;

/**
 * The same tracking as the menu command, as a SciJava command for the script editor and PyImageJ
 * ({@code #@ CommandService command} then {@code command.run(PrdimpTrackCommand, true, "image", imp, ...)}).
 * Inputs mirror {@link TrackOptions} (frames counted from 1; last frame 0: the last); outputs are the
 * table "PrDiMP tracks", the number of frames tracked and a one-line summary; the system Results table
 * is not touched. Bad input cancels the command with the one-line reason.
 */
@Plugin(type = Command.class, name = "prdimp.track", label = "PrDiMP Track", headless = true)
public final class PrdimpTrackCommand extends ContextCommand {
    @Parameter(label = "image")
    private ImagePlus image;

    @Parameter(label = "targets", choices = {"auto", "roi", "roi_manager", "boxes", "roi_file"}, required = false, persist = false)
    private String targets = "auto";

    @Parameter(label = "boxes x,y,w,h;x,y,w,h (pixels)", required = false, persist = false)
    private String boxes = "";

    @Parameter(label = "ROI file (.roi or .zip)", required = false, persist = false)
    private String roiFile = "";

    @Parameter(label = "direction", choices = {"both", "forward", "backward"}, required = false, persist = false)
    private String direction = "both";

    @Parameter(label = "first frame (from 1)", required = false, persist = false)
    private int firstFrame = 1;

    @Parameter(label = "last frame (from 1; 0: the last)", required = false, persist = false)
    private int lastFrame = 0;

    @Parameter(label = "channel (1-based)", required = false, persist = false)
    private int channel = 1;

    @Parameter(label = "axis", choices = {"auto", "time", "z"}, required = false, persist = false)
    private String axis = "auto";

    @Parameter(label = "model (bundled or a model folder)", required = false, persist = false)
    private String model = TrackOptions.BUNDLED;

    @Parameter(label = "tracker parameters (key=value ..., replacing the model's; empty: none)", required = false,
            persist = false)
    private String trackerParameters = "";

    @Parameter(label = "device", choices = {"auto", "cpu", "gpu"}, required = false, persist = false)
    private String device = "auto";

    @Parameter(label = "per-frame ROIs in the ROI Manager", required = false, persist = false)
    private boolean roiManager = false;

    @Parameter(label = "overlay", required = false, persist = false)
    private boolean overlay = true;

    @Parameter(label = "CSV next to the image", required = false, persist = false)
    private boolean saveCsv = false;

    @Parameter(type = ItemIO.OUTPUT, label = TracksTable.TITLE)
    private ResultsTable tracks;

    @Parameter(type = ItemIO.OUTPUT)
    private int framesTracked;

    @Parameter(type = ItemIO.OUTPUT)
    private String summary;

    @Override
    public void run() {
        TrackOptions o = new TrackOptions();
        o.targets = targets;
        o.boxes = boxes == null ? "" : boxes;
        o.roiFile = roiFile == null ? "" : roiFile;
        o.direction = direction;
        o.firstFrame = firstFrame;
        o.lastFrame = lastFrame;
        o.channel = channel;
        o.axis = axis;
        o.model = model;
        o.trackerParameters = trackerParameters == null ? "" : trackerParameters;
        o.device = device;
        o.roiManager = roiManager;
        o.overlay = overlay;
        o.saveCsv = saveCsv;
        o.confidencePlot = false;
        o.annotatedStack = false;
        RoiManager manager = null;
        if (!java.awt.GraphicsEnvironment.isHeadless()) { // headless ImageJ has no ROI Manager
            manager = RoiManager.getInstance2();
            if (manager == null && roiManager) {
                manager = RoiManager.getRoiManager();
            }
        }
        o.resultsTable = false;
        try {
            ImageTracking.Result r = ImageTracking.run(image, o, manager, null, false, () -> isCanceled()
                    || Thread.currentThread().isInterrupted(), null, null);
            tracks = r.table;
            framesTracked = r.outcome.framesTracked;
            summary = r.summary();
        } catch (TrackingException e) {
            cancel(e.getMessage());
        }
    }
}
