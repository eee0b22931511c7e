package org.prdimp.fiji.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import boofcv.concurrency.BoofConcurrency;
import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.engine.Frame;

/** The peers a run can include, by the names of {@code --peers}. */
enum Peer {
    CSRT("csrt", "OpenCV CSRT", () -> new OpenCvTracker(true)),
    KCF("kcf", "OpenCV KCF", () -> new OpenCvTracker(false)),
    /** NanoTrack v2 (Siamese, MobileNetV3 backbone) through OpenCV's TrackerNano; its ONNX pair from {@link #nanoTrackFolder}. */
    NANOTRACK("nanotrack", "NanoTrack v2 (OpenCV TrackerNano)",
            () -> new OpenCvTracker(Peer::nanoTrack)),
    BOOF_CIRCULANT("boof-circulant", "BoofCV Circulant", () -> new BoofTracker(BoofTracker.Kind.CIRCULANT)),
    BOOF_TLD("boof-tld", "BoofCV TLD", () -> new BoofTracker(BoofTracker.Kind.TLD)),
    BOOF_SPARSEFLOW("boof-sparseflow", "BoofCV sparse flow", () -> new BoofTracker(BoofTracker.Kind.SPARSE_FLOW)),
    BOOF_MEANSHIFT("boof-meanshift", "BoofCV mean shift", () -> new BoofTracker(BoofTracker.Kind.MEAN_SHIFT)),
    /** Baseline: the initial box kept in every frame (what not tracking at all scores). */
    STATIC("static", "static box (baseline)", () -> new StaticBox());

    /** What a run includes unless told otherwise. */
    static final String DEFAULT = "csrt,kcf,nanotrack,boof-circulant,boof-tld,boof-sparseflow,boof-meanshift,static";

    /** Threads the run allows BoofCV's concurrent code (--threads), else the cores. */
    static int maxThreads = Runtime.getRuntime().availableProcessors();

    /** Where NanoTrack's two ONNX files are (--nanotrack, default {@link NanoTrackFiles#defaultFolder()}). */
    static java.nio.file.Path nanoTrackFolder = NanoTrackFiles.defaultFolder();

    final String key;
    final String label;
    private final Supplier<PeerTracker> factory;

    Peer(String key, String label, Supplier<PeerTracker> factory) {
        this.key = key;
        this.label = label;
        this.factory = factory;
    }

    private static org.bytedeco.opencv.opencv_video.Tracker nanoTrack() {
        return NanoTrackFiles.create(nanoTrackFolder);
    }

    PeerTracker create() {
        return factory.get();
    }

    /** Library, version, threads and device, for the speed table. */
    String threads() {
        switch (this) {
            case CSRT:
            case KCF:
                return OpenCvTracker.threads() + " (OpenCV " + OpenCvTracker.version().trim() + " thread pool)";
            case NANOTRACK:
                return OpenCvTracker.threads() + " (OpenCV " + OpenCvTracker.version().trim() + " thread pool, dnn module)";
            case STATIC:
                return "1";
            default:
                return BoofConcurrency.isUseConcurrent() ? "at most " + maxThreads + " (BoofCV 1.1.7: its concurrent image"
                        + " operations)" : "1 (BoofCV 1.1.7)";
        }
    }

    /**
     * Parses a comma-separated list ("none" or empty: no peer).
     *
     * @throws IllegalArgumentException naming the known peers
     */
    static List<Peer> parse(String text) {
        List<Peer> out = new ArrayList<>();
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty() || t.equals("none")) {
            return out;
        }
        Map<String, Peer> byKey = new LinkedHashMap<>();
        for (Peer p : values()) {
            byKey.put(p.key, p);
        }
        for (String name : t.split("\\s*,\\s*")) {
            Peer p = byKey.get(name);
            if (p == null) {
                throw new IllegalArgumentException("unknown peer '" + name + "'; known: " + String.join(",", byKey.keySet())
                        + " (or none)");
            }
            if (!out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /** The initial box in every frame. */
    private static final class StaticBox implements PeerTracker {
        private Box box;

        @Override
        public boolean start(Frame frame, Box b) {
            box = b;
            return true;
        }

        @Override
        public Box next(Frame frame) {
            return box;
        }

        @Override
        public void close() {
        }
    }
}
