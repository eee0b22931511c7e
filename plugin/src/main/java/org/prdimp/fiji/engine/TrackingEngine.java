package org.prdimp.fiji.engine;

import java.nio.file.Path;

import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;

/**
 * The one tracking engine behind every front end (Fiji command, macros, TrackMate, CLI): a model
 * folder loaded with DJL's PyTorch engine on the chosen device. It says which device, which
 * libtorch and how many threads it uses ({@link #summary()}), and why it fell back to the CPU
 * ({@link #deviceNote()}). Create one {@link MultiTargetTracker} per image sequence.
 */
public final class TrackingEngine implements AutoCloseable {
    /** Threads libtorch uses unless {@code ai.djl.pytorch.num_threads} is set: every core. */
    private static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";
    /**
     * The fewest intra-op threads libtorch is given. With one thread libtorch takes its serial code
     * paths, whose sums run in another order: the classifier-feature convolution of a single crop
     * differs by about 1e-8, which the tracker's peak and filter updates amplify over a sequence
     * (1.75 px on OTB Crossing after 120 frames, up to 46 px on a 500-frame video). With 2, 3, 4, 8 or
     * 16 threads every network call and every box is bitwise identical (ThreadCountTest), so the
     * engine never runs with fewer than 2: results do not depend on the thread count.
     */
    public static final int MIN_THREADS = 2;

    private static volatile boolean loaded;

    private final TrackerNetwork network;
    private final String deviceNote;

    private TrackingEngine(TrackerNetwork network, String deviceNote) {
        this.network = network;
        this.deviceNote = deviceNote;
    }

    /** Opens a model folder on the chosen device. */
    public static TrackingEngine open(Path modelFolder, DeviceChoice choice) throws ModelException {
        return open(ModelFolder.open(modelFolder), choice);
    }

    /** Opens a model folder already read (e.g. {@link ModelFolder#openUncalibrated}) on the chosen device. */
    public static TrackingEngine open(ModelFolder folder, DeviceChoice choice) throws ModelException {
        Engine engine = pytorch();
        DeviceChoice.Resolved r = choice.resolve(engine.hasCapability(StandardCapabilities.CUDA), engine.getDevices(),
                engine.getVersion());
        return new TrackingEngine(TrackerNetwork.load(folder, r.device), r.note);
    }

    /** The PyTorch engine, with a clear message when libtorch cannot be loaded. */
    public static Engine pytorch() throws ModelException {
        if (System.getProperty(THREADS_PROPERTY) == null) {
            System.setProperty(THREADS_PROPERTY, String.valueOf(Math.max(MIN_THREADS, Runtime.getRuntime().availableProcessors())));
        }
        if (!loaded) {
            LibtorchCache.check(); // before libtorch is mapped: a damaged cache would kill the JVM (SIGBUS)
        }
        try (NativeLibs.Unpacking unpacking = NativeLibs.prepare()) {
            Engine engine = Engine.getEngine("PyTorch");
            loaded = true;
            if (JniUtils.getNumThreads() < MIN_THREADS) {
                JniUtils.setNumThreads(MIN_THREADS); // see MIN_THREADS: the same results for any thread count
            }
            return engine;
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            String io = ioCause(e);
            java.nio.file.Path cache = LibtorchCache.folder();
            if (io != null && cache != null) {
                throw LibtorchCache.unwritable(cache, io);
            }
            throw new ModelException("the PyTorch engine (libtorch through DJL) could not start: " + e.getMessage()
                    + "; check that pytorch-native-cpu and pytorch-jni are on the class path, or that PYTORCH_LIBRARY_PATH"
                    + " points at a libtorch matching DJL's (2.7.1)", e);
        }
    }

    /** The message of the first I/O failure among the causes (unpacking libtorch failed), or null. */
    private static String ioCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException || t instanceof java.io.UncheckedIOException) {
                return String.valueOf(t.getMessage());
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** Null when a GPU is usable, else the reason it is not. */
    public static String whyNoGpu(Engine engine) {
        return DeviceChoice.whyNoGpu(engine.hasCapability(StandardCapabilities.CUDA), engine.getDevices(), engine.getVersion());
    }

    /** One line: libtorch version, flavour and path, device, threads. */
    public static String libtorchDescription(Engine engine) {
        String flavour = engine.hasCapability(StandardCapabilities.CUDA) ? "CUDA" : "CPU";
        return "PyTorch engine, libtorch " + LibUtils.getVersion() + " (" + flavour + " build, "
                + LibUtils.getLibtorchPath() + "), " + JniUtils.getNumThreads() + " threads, DJL " + Engine.getDjlVersion();
    }

    /** Which model on which device with which libtorch. */
    public String summary() {
        return "model " + network.folder().name() + " (" + network.folder().variant() + ") on "
                + (network.device().isGpu() ? "GPU " + network.device().getDeviceId() : "CPU") + "; "
                + libtorchDescription(Engine.getEngine("PyTorch")) + replaced();
    }

    /** {@code "; tracker parameters replaced: key=value,..."} when the run replaced some, else empty. */
    private String replaced() {
        String text = network.folder().trackerOverridesText();
        return text.isEmpty() ? "" : "; tracker parameters replaced: " + text;
    }

    /**
     * Null when the model folder has a calibration; otherwise one line saying that the confidence is the raw
     * peak of the probability map and how to fit a calibration.
     */
    public String calibrationNote() {
        if (network.folder().calibration() != null) {
            return null;
        }
        return "the model folder " + network.folder().folder() + " has no calibration.json: confidence is the raw peak of the"
                + " probability map, not a probability, and states come from the peak analysis; fit one with"
                + " ./prdimp calibrate --model " + network.folder().folder();
    }

    /** Why the engine runs on the CPU although the choice was auto; null otherwise. */
    public String deviceNote() {
        return deviceNote;
    }

    public ModelFolder model() {
        return network.folder();
    }

    public TrackerNetwork network() {
        return network;
    }

    /** A tracker for one image sequence; the seed fixes its random augmentations (same seed, same result). */
    public MultiTargetTracker newTracker(long seed) {
        return new MultiTargetTracker(network, seed);
    }

    /** A tracker whose targets each draw from their own generator ({@link MultiTargetTracker#MultiTargetTracker(TrackerNetwork, long, boolean)}). */
    public MultiTargetTracker newTracker(long seed, boolean randomPerTarget) {
        return new MultiTargetTracker(network, seed, randomPerTarget);
    }

    @Override
    public void close() {
        network.close();
    }
}
