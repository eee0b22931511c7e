package org.prdimp.fiji.setup;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.prdimp.fiji.engine.DeviceChoice;
import org.prdimp.fiji.engine.ModelException;
import org.prdimp.fiji.engine.ModelFolder;
import org.prdimp.fiji.engine.NativeLibs;
import org.prdimp.fiji.engine.TrackerParams;
import org.prdimp.fiji.engine.TrackingEngine;

/**
 * The doctor's report (what {@code prdimp doctor} and Fiji's Check engine print): Java, DJL, libtorch
 * (version, flavour, path), devices, threads, the model and its descriptor, and one real network call.
 */
public final class Doctor {
    private Doctor() {
    }

    /** Prints the report; returns 0 when tracking can run, 1 otherwise, 2 when libtorch cannot start. */
    public static int report(Path modelPath, DeviceChoice choice, PrintStream out) {
        Runtime rt = Runtime.getRuntime();
        out.printf(Locale.ROOT, "java:    %s (%s), max heap %d MB, %d cores%n", System.getProperty("java.version"),
                System.getProperty("java.vendor"), rt.maxMemory() >> 20, rt.availableProcessors());
        out.println("os:      " + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", JVM "
                + ManagementFactory.getRuntimeMXBean().getVmName());
        Engine engine;
        try {
            engine = TrackingEngine.pytorch();
        } catch (ModelException e) {
            out.println("engine:  FAILED: " + e.getMessage());
            return 2; // libtorch cannot start (damaged or unwritable cache, wrong library): the line says what to do
        }
        out.println("engine:  " + TrackingEngine.libtorchDescription(engine));
        out.println("offline: " + (ai.djl.util.Utils.isOfflineMode() ? "yes (nothing is downloaded; -D" + NativeLibs.ALLOW_DOWNLOAD
                + "=true lets DJL download libtorch)" : "no (DJL may download libtorch: -D" + NativeLibs.ALLOW_DOWNLOAD + "=true)"));
        out.println("natives: " + NativeLibs.installed().keySet() + " installed; this computer is " + NativeLibs.systemClassifier()
                + " (Fiji platform " + NativeLibs.fijiPlatform(NativeLibs.systemClassifier()) + ")");
        String whyNoGpu = TrackingEngine.whyNoGpu(engine);
        out.println("gpus:    " + engine.getGpuCount() + (whyNoGpu == null ? " usable" : " usable; " + whyNoGpu));
        CudaCheck.Report cuda = CudaCheck.check(System.getenv(), NativeLibs.systemClassifier());
        out.println("cuda:    a GPU needs libtorch " + NativeLibs.LIBTORCH + " for CUDA 12.8 (" + CudaCheck.FLAVOR + "; DJL "
                + Engine.getDjlVersion() + " has GPU code for no other):");
        cuda.lines.forEach(l -> out.println("         " + l));
        out.println("         " + (cuda.missing.isEmpty() ? "all set for a GPU" : "missing for a GPU (not needed on the CPU): "
                + String.join(", ", cuda.missing)));
        String note = ModelLocator.note(modelPath);
        ModelFolder model;
        try {
            model = ModelFolder.open(modelPath);
        } catch (ModelException e) {
            out.println("model:   FAILED: " + e.getMessage());
            return 1;
        }
        TrackerParams p = new TrackerParams(model);
        out.println("model:   " + model.name() + " (" + model.variant() + ") in " + modelPath.toAbsolutePath().normalize());
        out.printf(Locale.ROOT, "         crop %d px, search area %.1f x target, score map %dx%d, %d input channel(s),"
                        + " box refinement %s; weights sha256 verified%n", p.cropSize, p.searchAreaScale, p.scoreSize,
                p.scoreSize, p.inputChannels, p.boxRefinement ? "on" : "off (untrained regressor)");
        if (note != null) {
            out.println("         note: " + note);
        }
        if (model.calibration() != null) {
            out.printf(Locale.ROOT, "         calibration: confidence = P(IoU >= 0.5) from %d evidence features; tracked >= %.2f,"
                    + " lost < %.2f, sigma = %s x map spread%n", model.calibration().features.size(),
                    model.calibration().trackedThreshold, model.calibration().lostThreshold,
                    model.calibration().sigmaModel == null ? String.format(Locale.ROOT, "%.3f", model.calibration().sigmaScale)
                            : String.format(Locale.ROOT, "k (per frame, median %.3f; %s)", model.calibration().sigmaScale,
                                    model.calibration().sigmaModel));
        } else {
            out.println("         note: no calibration.json: confidence is the raw map peak; fit one with ./prdimp calibrate --model "
                    + modelPath);
        }
        try (TrackingEngine te = TrackingEngine.open(modelPath, choice)) {
            long t0 = System.nanoTime();
            try (NDManager m = te.network().manager().newSubManager()) {
                NDArray crop = m.zeros(new Shape(1, p.inputChannels, p.cropSize, p.cropSize));
                Shape features = te.network().extract(crop).get(2).getShape();
                out.printf(Locale.ROOT, "check:   feature extraction on one crop -> %s in %.0f ms (first call)%n",
                        features, (System.nanoTime() - t0) / 1e6);
            }
            out.println("ready:   " + te.summary());
            return 0;
        } catch (ModelException | RuntimeException e) {
            out.println("check:   FAILED: " + e.getMessage());
            return 1;
        }
    }
}
