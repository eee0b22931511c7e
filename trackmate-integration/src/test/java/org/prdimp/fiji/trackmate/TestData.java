package org.prdimp.fiji.trackmate;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.prdimp.fiji.report.GroundTruth;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import net.imagej.ImgPlus;
import net.imagej.axis.AxisType;
import net.imagej.axis.Axes;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;

/** Real test inputs: procedural time-lapses from the project's generator and the shared CTC sequence. */
final class TestData {
    private TestData() {
    }

    static Path repoRoot() {
        String root = System.getProperty("prdimp.repo.root");
        Path p = root != null ? Paths.get(root) : Paths.get("").toAbsolutePath().getParent();
        if (!Files.isDirectory(p.resolve("models"))) {
            throw new IllegalStateException("cannot find the repository root (models/) from " + p);
        }
        return p;
    }

    /** The shared CTC GOWT1 sequence; null when ../shared is absent. */
    static Path gowt1() {
        Path seq = repoRoot().resolve("../shared/data/sequences/ctc_Fluo-N2DH-GOWT1_01").normalize();
        return Files.isDirectory(seq.resolve("01")) ? seq : null;
    }

    /** Writes {@code dir/sequence.tif} and {@code dir/groundtruth.csv} with {@code python3 -m prdimp.procedural}. */
    static void synthetic(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", "-m", "prdimp.procedural", dir.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(repoRoot().resolve("models").toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("synthetic sequence generation failed:\n" + log);
        }
    }

    static GroundTruth groundTruth(Path csv) throws Exception {
        try (BufferedReader r = Files.newBufferedReader(csv)) {
            return GroundTruth.read(r);
        }
    }

    /** A multi-page TIFF as a time-lapse (T frames). */
    static ImagePlus openStack(Path tif) {
        ImagePlus imp = IJ.openImage(tif.toString());
        if (imp == null) {
            throw new IllegalStateException("cannot open " + tif);
        }
        imp.setDimensions(1, 1, imp.getStackSize());
        return imp;
    }

    /** The first {@code frames} images of a folder of TIFF frames, as one time-lapse. */
    static ImagePlus openFolder(Path folder, int frames) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(f -> f.toString().endsWith(".tif")).sorted().limit(frames).collect(Collectors.toList());
        }
        ImageStack stack = null;
        for (Path f : files) {
            ImagePlus one = IJ.openImage(f.toString());
            if (stack == null) {
                stack = new ImageStack(one.getWidth(), one.getHeight());
            }
            stack.addSlice(f.getFileName().toString(), one.getProcessor());
        }
        ImagePlus imp = new ImagePlus(folder.getFileName().toString(), stack);
        imp.setDimensions(1, 1, files.size());
        return imp;
    }

    /** The image as TrackMate hands it to a detector: an ImgPlus with X, Y, T axes and the pixel size. */
    static ImgPlus<FloatType> imgPlus(ImagePlus imp, double pixelSize) {
        int w = imp.getWidth();
        int h = imp.getHeight();
        int n = imp.getStackSize();
        float[] data = new float[w * h * n];
        for (int t = 0; t < n; t++) {
            float[] plane = (float[]) imp.getStack().getProcessor(t + 1).convertToFloat().getPixels();
            System.arraycopy(plane, 0, data, t * w * h, w * h);
        }
        net.imglib2.img.Img<FloatType> img = ArrayImgs.floats(data, w, h, n);
        return new ImgPlus<>(img, imp.getTitle(), new AxisType[] {Axes.X, Axes.Y, Axes.TIME},
                new double[] {pixelSize, pixelSize, 1});
    }
}
