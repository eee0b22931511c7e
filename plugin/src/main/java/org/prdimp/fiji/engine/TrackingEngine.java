package org.prdimp.fiji.engine;

import java.nio.file.Path;

import ai.djl.Device;
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
        return open(ModelFolder.open(modelFolder), choice);
    }

    /** Opens a model folder already read (e.g. {@link ModelFolder#openUncalibrated}) on the chosen device. */
    public static TrackingEngine open(ModelFolder folder, DeviceChoice choice) throws ModelException {
        Engine engine = pytorch();
        String note = null;
        Device device;
        String whyNoGpu = whyNoGpu(engine);
        if (choice == DeviceChoice.CPU) {
            device = Device.cpu();
        } else if (whyNoGpu == null) {
            device = Device.gpu();
        } else if (choice == DeviceChoice.GPU) {
            throw new ModelException("GPU asked for but not usable: " + whyNoGpu + "; use device auto or cpu");
        } else {
            device = Device.cpu();
            note = "running on the CPU: " + whyNoGpu;
        }
        return new TrackingEngine(TrackerNetwork.load(folder, device), note);
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
        if (!engine.hasCapability(StandardCapabilities.CUDA)) {
            return "this libtorch is the CPU build (DJL's pytorch-native-cpu); for a GPU, set PYTORCH_LIBRARY_PATH to a"
                    + " CUDA build of libtorch " + engine.getVersion() + " (with PYTORCH_VERSION and PYTORCH_FLAVOR)";
        }
        if (engine.getGpuCount() == 0) {
            return "libtorch has CUDA but sees no GPU (no NVIDIA driver, or libcudart not on the library path)";
        }
        return null;
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

    @Override
    public void close() {
        network.close();
    }
}
