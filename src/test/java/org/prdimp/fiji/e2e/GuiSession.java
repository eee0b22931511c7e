package org.prdimp.fiji.e2e;

import java.awt.Button;
import java.awt.Checkbox;
import java.awt.Choice;
import java.awt.Color;
import java.awt.EventQueue;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.TextField;
import java.awt.Window;
import java.awt.event.ActionEvent;
import java.awt.image.BufferedImage;
import java.io.File;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.Menus;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.gui.ImageCanvas;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import ij.plugin.frame.Recorder;
import ij.plugin.frame.RoiManager;

/**
 * One GUI session, run by {@link GuiTest} in its own JVM on an X display: ImageJ with the plugin jar in
 * its plugins folder, an image with two targets in the ROI Manager, Plugins > Tracking > PrDiMP Track
 * chosen and its dialog confirmed with the Recorder on, then screenshots, the overlay checked in the
 * screen's pixels, and the recorded line replayed. Prints "gui: ..." lines; exit 0 when all is well.
 * Arguments: IMAGE OUT_DIR x,y,w,h x,y,w,h
 */
public final class GuiSession {
    private static final List<String> failures = new ArrayList<>();

    private GuiSession() {
    }

    public static void main(String[] args) throws Exception {
        String image = args[0];
        File out = new File(args[1]);
        double[] a = parse(args[2]);
        double[] b = parse(args[3]);
        ImageJ ij = new ImageJ();
        waitFor(ij::isShowing, 20_000, "the ImageJ window");
        Object installed = Menus.getCommands().get("PrDiMP Track");
        report("command installed from " + Menus.getPlugInsPath() + ": " + installed);
        check("org.prdimp.fiji.launch.PrdimpTrackLauncher".equals(installed), "PrDiMP Track is not in ImageJ's commands");

        ImagePlus imp = IJ.openImage(image);
        imp.show();
        waitFor(() -> imp.getWindow() != null && imp.getWindow().isShowing(), 20_000, "the image window");
        RoiManager rm = RoiManager.getRoiManager();
        rm.reset();
        rm.addRoi(new Roi(a[0], a[1], a[2], a[3]));
        rm.addRoi(new ij.gui.OvalRoi(b[0], b[1], b[2], b[3]));
        imp.deleteRoi();
        ResultsTable.getResultsTable().reset();
        ResultsTable.getResultsTable().incrementCounter();
        ResultsTable.getResultsTable().addValue("Area", 42); // a measurement of the user's, to be left alone
        ResultsTable.getResultsTable().show("Results");
        IJ.run("Record...");
        waitFor(() -> Recorder.getInstance() != null, 10_000, "the Recorder");
        Recorder.record = true;

        // the menu command: its dialog opens (frames from 1, direction); choose the ROI Manager's targets,
        // frames 1-10, the ROI Manager output, then OK; first, as the stack is stored as z-slices, the question
        // whether they are time points: Yes
        IJ.doCommand("PrDiMP Track");
        ij.gui.YesNoCancelDialog question = waitForQuestion(30_000);
        Thread.sleep(1000); // laid out and centred
        screenshot(question.getBounds(), new File(out, "question.png"));
        press(question, "Yes");
        GenericDialog gd = (GenericDialog) waitForWindow("PrDiMP Track", 30_000);
        check("time".equals(((Choice) gd.getChoices().get(2)).getSelectedItem()), "the answer should set axis=time in the dialog");
        check("both".equals(((Choice) gd.getChoices().get(1)).getSelectedItem()), "the direction choice should default to both");
        check("1".equals(((TextField) gd.getNumericFields().get(0)).getText()), "first_frame should default to 1");
        check("30".equals(((TextField) gd.getNumericFields().get(1)).getText()), "last_frame should default to the last frame, 30");
        check(!((Checkbox) gd.getCheckboxes().get(0)).getState(), "results_table should be off in the dialog");
        check(!((Checkbox) gd.getCheckboxes().get(4)).getState(), "save_csv should be off in the dialog");
        TextField parameters = (TextField) gd.getStringFields().get(3);
        check(parameters.getText().isEmpty(), "tracker_parameters (after model) should be empty in the dialog");
        EventQueue.invokeAndWait(() -> {
            ((Choice) gd.getChoices().get(0)).select("roi_manager");
            ((Choice) gd.getChoices().get(3)).select("cpu");
            ((TextField) gd.getNumericFields().get(1)).setText("10");
            ((Checkbox) gd.getCheckboxes().get(1)).setState(true); // per-frame ROIs, one group per track
            parameters.setText("box_refinement_size_rate=0"); // keeps each box's size
        });
        Thread.sleep(500);
        screenshot(gd.getBounds(), new File(out, "dialog.png"));
        Button ok = gd.getButtons()[0];
        EventQueue.invokeAndWait(() -> gd.actionPerformed(new ActionEvent(ok, ActionEvent.ACTION_PERFORMED, "OK")));
        waitFor(() -> WindowManager.getWindow("PrDiMP tracks") != null, 300_000, "the PrDiMP tracks table");
        Thread.sleep(1500);

        ResultsTable results = ResultsTable.getResultsTable();
        ResultsTable tracks = ResultsTable.getResultsTable("PrDiMP tracks");
        report("rows in Results: " + results.size() + "; in PrDiMP tracks: " + (tracks == null ? "none" : tracks.size())
                + "; ROI Manager: " + rm.getCount());
        check(results.size() == 1 && results.getValue("Area", 0) == 42, "the user's Results row should survive the run");
        check(tracks != null && tracks.size() == 20, "2 targets x 10 frames expected in PrDiMP tracks");
        check(tracks != null && tracks.columnExists("TRACK_ID") && tracks.columnExists("POSITION_T")
                && tracks.columnExists("t [frame]") && (int) tracks.getValue("T", 19) == 10, "TrackMate-like columns, T from 1, time"
                + " along the slices taken as time points");
        check(rm.getCount() == 2 + 2 * 10, "2 user ROIs and 20 per-frame ROIs expected in the ROI Manager, got " + rm.getCount());
        int last = rm.getIndex("PrDiMP track 1 T 10");
        check(last >= 0 && rm.getRoi(last).getGroup() == 2, "no ROI 'PrDiMP track 1 T 10' in group 2");
        check(WindowManager.getWindow("PrDiMP tracks") != null, "no PrDiMP tracks table window");
        double sizeChange = tracks != null && tracks.size() == 20 ? 0 : Double.NaN;
        for (int i = 0; tracks != null && tracks.size() == 20 && i < 20; i++) {
            int firstRow = i < 10 ? 0 : 10; // rows by track, then frame
            sizeChange = Math.max(sizeChange, Math.max(Math.abs(tracks.getValue("w", i) - tracks.getValue("w", firstRow)),
                    Math.abs(tracks.getValue("h", i) - tracks.getValue("h", firstRow))));
        }
        report("largest change of w or h along a track: " + sizeChange + " px");
        check(sizeChange < 0.005, "tracker_parameters box_refinement_size_rate=0 should keep each track's w,h");
        check(WindowManager.getImage("PrDiMP confidence: " + imp.getTitle()) != null, "no confidence plot");

        // the overlay on screen, frame 5
        EventQueue.invokeAndWait(() -> imp.setSlice(6));
        IJ.selectWindow(imp.getID());
        Thread.sleep(1500);
        ImageCanvas canvas = imp.getCanvas();
        Point origin = canvas.getLocationOnScreen();
        Rectangle area = new Rectangle(origin, canvas.getSize());
        BufferedImage shot = screenshot(area, new File(out, "screenshot.png"));
        screenshot(new Rectangle(0, 0, 1280, 1024), new File(out, "screen.png"));
        Overlay overlay = imp.getOverlay();
        for (int t = 0; t < 2; t++) {
            Roi box = find(overlay, "prdimp " + t + " 5 box");
            if (box == null) {
                check(false, "no overlay box for target " + t + " in frame 5");
                continue;
            }
            Rectangle r = box.getBounds();
            Color expected = box.getStrokeColor();
            int match = 0;
            int total = 0;
            for (int x = r.x + 2; x < r.x + r.width - 2; x++) {
                int sx = canvas.screenX(x);
                int sy = canvas.screenY(r.y + r.height); // the bottom edge: the label sits over the top one
                int best = Integer.MAX_VALUE;
                for (int dy = -2; dy <= 1; dy++) {
                    if (sy + dy >= 0 && sy + dy < shot.getHeight() && sx < shot.getWidth()) {
                        best = Math.min(best, distance(new Color(shot.getRGB(sx, sy + dy)), expected));
                    }
                }
                total++;
                if (best < 60) {
                    match++;
                }
            }
            report(String.format(Locale.ROOT, "target %d frame 5: box %s, colour %s, %d of %d edge pixels on screen in it",
                    t, r, expected, match, total));
            check(total > 0 && match >= 0.8 * total, "the overlay box of target " + t + " is not on the screen");
        }
        Color centre = new Color(shot.getRGB(shot.getWidth() / 2, 5));
        check(centre.getRed() == centre.getGreen() && centre.getGreen() == centre.getBlue(),
                "the image itself should be grey away from the boxes: " + centre);

        // the recorded line replays the same run
        String recorded = recorded();
        report("recorded: " + recorded);
        check(recorded != null && recorded.contains("targets=roi_manager") && recorded.contains("last_frame=10")
                && recorded.contains("axis=time") && recorded.contains("roi_manager") && !recorded.contains("first_frame")
                && !recorded.contains("model=") && recorded.contains("tracker_parameters=box_refinement_size_rate=0"),
                "the Recorder should record the changed settings only, replayable");
        if (recorded != null && tracks != null) {
            double[] first = column(tracks, "cx");
            ImagePlus again = IJ.openImage(image);
            again.show();
            waitFor(() -> again.getWindow() != null, 20_000, "the second image");
            rm.reset();
            rm.addRoi(new Roi(a[0], a[1], a[2], a[3]));
            rm.addRoi(new ij.gui.OvalRoi(b[0], b[1], b[2], b[3]));
            IJ.selectWindow(again.getID());
            Recorder.record = false;
            IJ.runMacro("selectImage(" + again.getID() + ");\n" + recorded);
            double[] second = column(ResultsTable.getResultsTable("PrDiMP tracks"), "cx");
            boolean same = first.length == second.length;
            for (int i = 0; same && i < first.length; i++) {
                same = Math.abs(first[i] - second[i]) < 1e-6;
            }
            report("replayed: " + second.length + " rows, identical: " + same);
            check(same, "the replayed run differs from the recorded one");
        }
        cancelButton(image, a, b);
        otherEntries(out);
        report(failures.isEmpty() ? "all checks passed" : "FAILED: " + String.join("; ", failures));
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    /**
     * A run of all 30 frames stopped with the progress window's Cancel button once a few frames are
     * tracked: the overlay grows live while it runs, and the frames tracked stay in the table and the overlay.
     */
    private static void cancelButton(String image, double[] a, double[] b) throws Exception {
        ImagePlus imp = IJ.openImage(image);
        imp.show();
        waitFor(() -> imp.getWindow() != null, 20_000, "the third image");
        imp.setRoi(new Roi(a[0], a[1], a[2], a[3]));
        Thread run = new Thread(() -> IJ.run(imp, "PrDiMP Track", "targets=roi last_frame=30 device=cpu results_table overlay"));
        run.start();
        java.awt.Frame progress = (java.awt.Frame) waitForTitle("PrDiMP Track: " + imp.getTitle(), 60_000);
        waitFor(() -> find(imp.getOverlay(), "prdimp 0 2 box") != null, 120_000, "live overlay boxes of frame 2");
        report("live overlay while running: frame 2 drawn, window '" + progress.getTitle() + "'");
        Button cancel = null;
        for (java.awt.Component c : progress.getComponents()) {
            if (c instanceof Button && "Cancel".equals(((Button) c).getLabel())) {
                cancel = (Button) c;
            }
        }
        check(cancel != null, "no Cancel button in the progress window");
        if (cancel != null) {
            Button button = cancel;
            EventQueue.invokeAndWait(() -> {
                for (java.awt.event.ActionListener l : button.getActionListeners()) {
                    l.actionPerformed(new ActionEvent(button, ActionEvent.ACTION_PERFORMED, "Cancel"));
                }
            });
        }
        run.join(120_000);
        int rows = ResultsTable.getResultsTable().size();
        int boxes = 0;
        for (Roi r : imp.getOverlay().toArray()) {
            if (r.getName() != null && r.getName().endsWith(" box")) {
                boxes++;
            }
        }
        report("cancelled: " + rows + " rows kept, " + boxes + " overlay boxes; status: " + ImageJ.getStatusBarText());
        check(rows >= 3 && rows < 30, "a cancelled run should keep the frames tracked before it (got " + rows + " rows)");
        check(boxes == rows, "one overlay box per kept row expected");
    }

    /** Check engine in a window, the sample from File > Open Samples, the help entry's text. */
    private static void otherEntries(File out) throws Exception {
        check(Menus.getCommands().get("Check engine") != null && Menus.getCommands().get("PrDiMP Help") != null
                && Menus.getCommands().get("PrDiMP Synthetic Nuclei") != null, "the menu entries should be installed");
        IJ.doCommand("Check engine");
        Window check = waitForTitle("PrDiMP engine check", 120_000);
        ij.text.TextWindow tw = (ij.text.TextWindow) check;
        waitFor(() -> tw.getTextPanel().getText().contains("result:"), 60_000, "the engine check's result");
        String text = tw.getTextPanel().getText();
        Thread.sleep(500);
        screenshot(check.getBounds(), new File(out, "check-engine.png"));
        report("check engine: " + text.lines().filter(l -> l.startsWith("jna") || l.startsWith("ready") || l.startsWith("result"))
                .collect(java.util.stream.Collectors.joining(" | ")));
        check(text.contains("jna:") && text.contains("engine:") && text.contains("result:  tracking can run"),
                "Check engine should show the JNA, the engine and that tracking can run");
        IJ.doCommand("PrDiMP Synthetic Nuclei");
        waitFor(() -> WindowManager.getImage("synthetic-nuclei.tif") != null, 30_000, "the sample image");
        ImagePlus sample = WindowManager.getImage("synthetic-nuclei.tif");
        check(sample.getNFrames() == 60 && sample.getNSlices() == 1, "the sample should open as 60 time points");
        check(org.prdimp.fiji.command.PrdimpHelp.text().contains("plugin/README.md"), "the help points at the README");
    }

    private static ij.gui.YesNoCancelDialog waitForQuestion(long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            for (Window w : Window.getWindows()) {
                if (w instanceof ij.gui.YesNoCancelDialog && w.isShowing()) {
                    return (ij.gui.YesNoCancelDialog) w;
                }
            }
            Thread.sleep(100);
        }
        report("FAILED: no question whether the z-slices are time points");
        System.exit(1);
        return null;
    }

    private static void press(java.awt.Container dialog, String label) throws Exception {
        List<Button> buttons = new ArrayList<>();
        collect(dialog, buttons);
        for (Button button : buttons) {
            if (label.equals(button.getLabel().trim())) {
                EventQueue.invokeAndWait(() -> ((java.awt.event.ActionListener) dialog).actionPerformed(
                        new ActionEvent(button, ActionEvent.ACTION_PERFORMED, label)));
                return;
            }
        }
        check(false, "no button " + label);
    }

    private static void collect(java.awt.Container c, List<Button> buttons) {
        for (java.awt.Component k : c.getComponents()) {
            if (k instanceof Button) {
                buttons.add((Button) k);
            } else if (k instanceof java.awt.Container) {
                collect((java.awt.Container) k, buttons);
            }
        }
    }

    private static Window waitForTitle(String title, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            for (Window w : Window.getWindows()) {
                if (w instanceof java.awt.Frame && w.isShowing() && title.equals(((java.awt.Frame) w).getTitle())) {
                    return w;
                }
            }
            Thread.sleep(50);
        }
        report("FAILED: no window " + title);
        System.exit(1);
        return null;
    }

    private static String recorded() throws ReflectiveOperationException {
        Field f = Recorder.class.getDeclaredField("textArea");
        f.setAccessible(true);
        java.awt.TextArea area = (java.awt.TextArea) f.get(null);
        for (String line : area.getText().split("\n")) {
            if (line.startsWith("run(\"PrDiMP Track\"")) {
                return line;
            }
        }
        report("Recorder text:\n" + area.getText());
        return null;
    }

    private static double[] column(ResultsTable t, String name) {
        double[] v = new double[t.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = t.getValue(name, i);
        }
        return v;
    }

    private static Roi find(Overlay overlay, String name) {
        if (overlay == null) {
            return null;
        }
        for (Roi r : overlay.toArray()) {
            if (name.equals(r.getName())) {
                return r;
            }
        }
        return null;
    }

    private static int distance(Color a, Color b) {
        return Math.abs(a.getRed() - b.getRed()) + Math.abs(a.getGreen() - b.getGreen()) + Math.abs(a.getBlue() - b.getBlue());
    }

    private static BufferedImage screenshot(Rectangle area, File file) throws Exception {
        BufferedImage shot = new Robot().createScreenCapture(area);
        ImageIO.write(shot, "png", file);
        report("screenshot " + file);
        return shot;
    }

    private static Window waitForWindow(String title, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            for (Window w : Window.getWindows()) {
                if (w instanceof GenericDialog && w.isShowing() && title.equals(((GenericDialog) w).getTitle())) {
                    return w;
                }
            }
            Thread.sleep(100);
        }
        report("FAILED: no " + title + " dialog");
        System.exit(1);
        return null;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, long millis, String what) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                report("FAILED: timed out waiting for " + what);
                for (Window w : Window.getWindows()) {
                    if (w.isShowing()) {
                        report("window showing: " + w.getClass().getName() + " "
                                + (w instanceof java.awt.Dialog ? ((java.awt.Dialog) w).getTitle()
                                : w instanceof java.awt.Frame ? ((java.awt.Frame) w).getTitle() : ""));
                    }
                }
                report("log: " + IJ.getLog());
                try {
                    screenshot(new Rectangle(0, 0, 1280, 1024), new File(System.getProperty("java.io.tmpdir"), "prdimp-gui-timeout.png"));
                } catch (Exception e) {
                    report("no screenshot: " + e);
                }
                System.exit(1);
            }
            Thread.sleep(100);
        }
    }

    private static double[] parse(String box) {
        String[] p = box.split(",");
        return new double[] {Double.parseDouble(p[0]), Double.parseDouble(p[1]), Double.parseDouble(p[2]), Double.parseDouble(p[3])};
    }

    private static void check(boolean ok, String failure) {
        if (!ok) {
            failures.add(failure);
            report("check failed: " + failure);
        }
    }

    private static void report(String line) {
        System.out.println("gui: " + line);
    }
}
