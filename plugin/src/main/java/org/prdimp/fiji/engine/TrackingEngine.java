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

    private final TrackerNetwork network;
    private final String deviceNote;

    private TrackingEngine(TrackerNetwork network, String deviceNote) {
        this.network = network;
        this.deviceNote = deviceNote;
    }

    /** Opens a model folder on the chosen device. */
    public static TrackingEngine open(Path modelFolder, DeviceChoice choice) throws ModelException {
        ModelFolder folder = ModelFolder.open(modelFolder);
        Engine engine = pytorch();
        DeviceChoice.Resolved r = choice.resolve(engine.hasCapability(StandardCapabilities.CUDA), engine.getDevices(),
                engine.getVersion());
        return new TrackingEngine(TrackerNetwork.load(folder, r.device), r.note);
    }

    /** The PyTorch engine, with a clear message when libtorch cannot be loaded. */
    public static Engine pytorch() throws ModelException {
        if (System.getProperty(THREADS_PROPERTY) == null) {
            System.setProperty(THREADS_PROPERTY, String.valueOf(Runtime.getRuntime().availableProcessors()));
        }
        try {
            return Engine.getEngine("PyTorch");
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new ModelException("the PyTorch engine (libtorch through DJL) could not start: " + e.getMessage()
                    + "; check that pytorch-native-cpu and pytorch-jni are on the class path, or that PYTORCH_LIBRARY_PATH"
                    + " points at a libtorch matching DJL's (2.7.1)", e);
        }
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
                + libtorchDescription(Engine.getEngine("PyTorch"));
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

    @Override
    public void close() {
        network.close();
    }
}
