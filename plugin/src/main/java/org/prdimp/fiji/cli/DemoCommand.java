package org.prdimp.fiji.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import ij.io.FileSaver;
import ij.process.FloatProcessor;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.engine.Frame;
import org.prdimp.fiji.engine.TargetResult;
import org.prdimp.fiji.io.FrameSource;
import org.prdimp.fiji.io.FrameSources;
import org.prdimp.fiji.io.InputException;
import org.prdimp.fiji.io.NormalizedFrames;
import org.prdimp.fiji.io.TrackingAxis;
import org.prdimp.fiji.report.AnnotatedStack;
import org.prdimp.fiji.report.ConfidencePlot;
import org.prdimp.fiji.report.GroundTruth;
import org.prdimp.fiji.report.TrackAccuracy;
import org.prdimp.fiji.run.AtomicFiles;
import org.prdimp.fiji.run.TrackingListener;
import org.prdimp.fiji.setup.ModelLocator;

/**
 * {@code prdimp demo}: tracks every nucleus of the bundled synthetic time-lapse from its first-frame
 * box, and writes the CSV, an annotated RGB stack, a confidence plot and a summary with the accuracy
 * against the sample's exact ground truth.
 */
final class DemoCommand {
    static final String SAMPLE = "/org/prdimp/fiji/sample/synthetic-nuclei";
    private static final Set<String> OPTIONS = Set.of("out", "model", "device");

    private DemoCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
        Options o = Options.parse("demo", args, 1, OPTIONS);
        Path dir = Paths.get(o.get("out", "out/demo"));
        GroundTruth truth;
        Path sample = dir.resolve("sample.tif");
        try {
            Files.createDirectories(dir);
            try (InputStream in = resource(SAMPLE + ".tif")) {
                Files.copy(in, sample, StandardCopyOption.REPLACE_EXISTING);
            }
            try (BufferedReader r = new BufferedReader(new InputStreamReader(resource(SAMPLE + ".csv"), StandardCharsets.UTF_8))) {
                truth = GroundTruth.read(r);
            }
        } catch (IOException e) {
            err.println("prdimp: error: cannot write the demo folder " + dir + " (" + e.getMessage() + "); give a writable --out DIR");
            return 1;
        }
        List<Integer> ids = truth.trackIds();
        List<Box> boxes = truth.boxes(ids, 0);
        out.println("demo: tracking the " + boxes.size() + " nuclei of the bundled synthetic time-lapse (" + sample.getFileName()
                + ") from their first-frame boxes");
        Drawing drawing;
        try {
            drawing = new Drawing(sample, truth, ids);
        } catch (InputException e) {
            throw new UsageException(e.getMessage());
        }
        Path csv = dir.resolve("results.csv");
        TrackCommand.Request request = new TrackCommand.Request(sample, boxes, csv, TrackCommand.model(o),
                TrackCommand.device(o), 1, TrackingAxis.AUTO, null);
        int code;
        try {
            code = TrackCommand.track(request, out, err, drawing);
        } finally {
            drawing.close();
        }
        if (code != 0 || drawing.frames() == 0) {
            return code; // a failed run's rows are in results.partial.csv; earlier complete outputs stay as they are
        }
        Path stack = dir.resolve("tracked.tif");
        Path plot = dir.resolve("confidence.png");
        Path summary = dir.resolve("summary.txt");
        // FileSaver, not IJ.saveAs: the latter sets up ImageJ's menus, which fails headless; each file is
        // written beside its name and moved into place
        try {
            AtomicFiles.write(stack, f -> new FileSaver(drawing.stack.image("PrDiMP demo: tracked nuclei"))
                    .saveAsTiffStack(f.toString()));
            AtomicFiles.write(plot, f -> new FileSaver(drawing.plot.image("PrDiMP demo: confidence")).saveAsPng(f.toString()));
        } catch (IOException e) {
            err.println("prdimp: error: cannot write " + stack + " or " + plot + " (" + e.getMessage() + "); give a writable --out DIR");
            return 1;
        }
        List<String> lines = new ArrayList<>();
        lines.add("PrDiMP demo on the bundled synthetic time-lapse; accuracy against its exact ground truth");
        lines.add("model: " + request.model.toAbsolutePath().normalize().getFileName());
        String note = ModelLocator.note(request.model);
        if (note != null) {
            lines.add("note: " + note);
        }
        for (int t = 0; t < ids.size(); t++) {
            lines.add("target " + t + " (nucleus " + ids.get(t) + "): " + drawing.accuracy.get(t));
        }
        lines.add("all targets: " + drawing.overall);
        try {
            AtomicFiles.write(summary, f -> {
                Files.write(f, lines, StandardCharsets.UTF_8);
                return true;
            });
        } catch (IOException e) {
            err.println("prdimp: error: cannot write " + summary + ": " + e.getMessage());
            return 1;
        }
        lines.subList(1, lines.size()).forEach(l -> out.println("demo: " + l));
        out.println("demo: wrote " + dir + "/{results.csv, tracked.tif, confidence.png, summary.txt, sample.tif}");
        return code;
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = DemoCommand.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("the bundled sample " + name + " is missing from the plugin jar; rebuild it");
        }
        return in;
    }

    /** Draws each tracked frame and collects confidence and accuracy. */
    private static final class Drawing implements TrackingListener {
        final AnnotatedStack stack;
        final ConfidencePlot plot = new ConfidencePlot();
        final List<TrackAccuracy> accuracy = new ArrayList<>();
        final TrackAccuracy overall = new TrackAccuracy();
        private final FrameSource source;
        private final NormalizedFrames frames;
        private final GroundTruth truth;
        private final List<Integer> ids;
        private int count;

        Drawing(Path sample, GroundTruth truth, List<Integer> ids) throws InputException {
            this.source = FrameSources.open(sample, 1, TrackingAxis.AUTO);
            this.frames = new NormalizedFrames(source);
            this.stack = new AnnotatedStack(source.width(), source.height());
            this.truth = truth;
            this.ids = ids;
            for (int i = 0; i < ids.size(); i++) {
                accuracy.add(new TrackAccuracy());
            }
        }

        @Override
        public void frameTracked(int frame, List<TargetResult> results) throws IOException {
            Frame f;
            try {
                f = frames.frame(frame);
            } catch (InputException e) {
                throw new IOException(e.getMessage(), e);
            }
            FloatProcessor fp = new FloatProcessor(f.width, f.height, f.channels[0]);
            fp.setMinAndMax(0, 1);
            stack.add(fp, frame, results);
            plot.add(results);
            if (frame > 0) {
                for (TargetResult r : results) {
                    Box gt = truth.box(ids.get(r.target), frame);
                    accuracy.get(r.target).add(r, gt);
                    overall.add(r, gt);
                }
            }
            count++;
        }

        int frames() {
            return count;
        }

        void close() {
            source.close();
        }
    }
}
