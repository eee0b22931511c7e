package org.prdimp.fiji.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;

/**
 * The exported TorchScript module of a model folder, loaded with DJL's PyTorch engine. Each method
 * of the contract (models/README.md) is one call here. Methods run without autograd, except
 * {@link #refineBoxes}: current exports write the refinement's gradient out, but model folders
 * exported before that compute it with autograd inside TorchScript. The model is therefore loaded
 * with {@code trainParam=true} and that method is called with grad mode on, in training mode
 * (BatchNorm is frozen at export, so the mode changes no result).
 */
public final class TrackerNetwork implements AutoCloseable {
    private final ModelFolder folder;
    private final ZooModel<NDList, NDList> model;
    private final Block block;
    private final ParameterStore store;
    /**
     * libtorch intra-op threads for {@link #refineBoxes} on the CPU: the refinement's result depends on
     * the thread count (the other methods' do not, from 2 threads on), so it always gets the same count.
     * The calls are few and small (a handful of proposals per target): the cost is negligible.
     */
    static final int REFINE_THREADS = TrackingEngine.MIN_THREADS;
    /** The thread count is process-wide: one refinement at a time sets and restores it. */
    private static final Object REFINE_LOCK = new Object();
    private final Device device;
    private final CallTimes times = new CallTimes();
    /** One method selector per method, made once: DJL reads only its name, so it stays on the CPU. */
    private final Map<String, NDArray> selectors = new ConcurrentHashMap<>();
    private final NDManager selectorManager;

    private TrackerNetwork(ModelFolder folder, ZooModel<NDList, NDList> model, Device device) {
        this.folder = folder;
        this.model = model;
        this.block = model.getBlock();
        this.store = new ParameterStore(model.getNDManager(), false);
        this.device = device;
        this.selectorManager = model.getNDManager().newSubManager(Device.cpu());
    }

    public static TrackerNetwork load(ModelFolder folder, Device device) throws ModelException {
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(folder.weights())
                .optEngine("PyTorch")
                .optDevice(device)
                // every tensor of the file onto the device as it is read: DJL's default, loading on the CPU
                // then Module.to(device), moves parameters and buffers only, and would leave the
                // refinement's weights (refine_heads, a list attribute) on the CPU
                .optOption("mapLocation", "true")
                .optOption("trainParam", "true")
                .build();
        try {
            return new TrackerNetwork(folder, criteria.loadModel(), device);
        } catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException e) {
            throw new ModelException("cannot load " + folder.weights() + " with DJL/PyTorch on " + device + ": "
                    + e.getMessage() + " (is it a TorchScript file exported by models/prdimp?)", e);
        }
    }

    public ModelFolder folder() {
        return folder;
    }

    public Device device() {
        return device;
    }

    /** The manager that owns the model; create per-frame sub-managers from it. */
    public NDManager manager() {
        return model.getNDManager();
    }

    /** Time spent inside {@link #call} so far, per method; {@link CallTimes#reset()} starts it again. */
    public CallTimes callTimes() {
        return times;
    }

    /** Largest number of crops per {@code extract} call (see {@link #extract}). */
    public static final int EXTRACT_CHUNK = 20;

    /**
     * Calls an exported method; the outputs belong to the manager of the first input. The call's
     * wall-clock time is added to {@link #callTimes()}. Every input must be on the network's device
     * (arrays made by managers from {@link #manager()} are): nothing is copied between devices here.
     *
     * @throws IllegalArgumentException for an input on another device
     */
    public NDList call(String method, boolean autograd, NDArray... inputs) {
        long start = System.nanoTime();
        NDList list = new NDList(inputs.length + 1);
        for (int i = 0; i < inputs.length; i++) {
            String wrong = misplaced(method, i, device, inputs[i].getDevice());
            if (wrong != null) {
                throw new IllegalArgumentException(wrong);
            }
            list.add(inputs[i]);
        }
        list.add(selectors.computeIfAbsent(method, this::selector));
        // libtorch's grad mode is per thread and DJL leaves it off outside a GradientCollector
        boolean gradBefore = autograd && JniUtils.isGradMode();
        if (autograd && !gradBefore) {
            JniUtils.setGradMode(true);
        }
        try {
            return block.forward(store, list, autograd);
        } finally {
            if (autograd && !gradBefore) {
                JniUtils.setGradMode(false);
            }
            times.record(method, System.nanoTime() - start);
        }
    }

    private NDArray selector(String method) {
        synchronized (selectorManager) {
            NDArray selector = selectorManager.create(0f);
            selector.setName("module_method:" + method);
            return selector;
        }
    }

    /** Null when input {@code index} of {@code method} is on the network's device, else what is wrong. */
    static String misplaced(String method, int index, Device network, Device input) {
        if (input.equals(network)) {
            return null;
        }
        return method + ": input " + index + " is on " + input + " but the network runs on " + network
                + " (make arrays with a manager from TrackerNetwork.manager())";
    }

    /**
     * Backbone and classifier features of a batch of crops, in chunks of at most {@link #EXTRACT_CHUNK}
     * crops: one call on the 260 crops of a 20-target initialisation needs about 0.7 GB of activations
     * and cost 2.2x more per crop than batches of 20 (bench/results, 2 CPU threads).
     */
    public NDList extract(NDArray images) {
        long n = images.getShape().get(0);
        if (n <= EXTRACT_CHUNK) {
            return call("extract", false, images);
        }
        List<NDList> parts = new ArrayList<>();
        for (long start = 0; start < n; start += EXTRACT_CHUNK) {
            try (NDArray chunk = images.get(new NDIndex(start + ":" + Math.min(n, start + EXTRACT_CHUNK)))) {
                parts.add(call("extract", false, chunk));
            }
        }
        NDList joined = new NDList(parts.get(0).size());
        for (int k = 0; k < parts.get(0).size(); k++) {
            NDList pieces = new NDList(parts.size());
            for (NDList part : parts) {
                pieces.add(part.get(k));
            }
            joined.add(NDArrays.concat(pieces, 0));
        }
        for (NDList part : parts) {
            part.close();
        }
        return joined;
    }

    public NDArray initFilter(NDArray feat, NDArray boxes, NDArray weights, int iterations) {
        return call("init_filter", false, feat, boxes, weights, feat.getManager().create((long) iterations)).get(0);
    }

    public NDArray optimizeFilter(NDArray filter, NDArray feat, NDArray boxes, NDArray weights, int iterations) {
        return call("optimize_filter", false, filter, feat, boxes, weights,
                feat.getManager().create((long) iterations)).get(0);
    }

    /** Returns (scores, probabilities). */
    public NDList classify(NDArray filter, NDArray feat) {
        return call("classify", false, filter, feat);
    }

    public NDList boxModulation(NDArray layer2, NDArray layer3, NDArray boxes) {
        return call("box_modulation", false, layer2, layer3, boxes);
    }

    /**
     * Box refinement from the test crops' backbone features (layer2, layer3 of {@link #extract}); the
     * model runs the box regressor's test branch itself, only around the boxes. Returns (refined
     * boxes, log-densities).
     */
    public NDList refineBoxes(NDList modulation, NDArray layer2, NDArray layer3, NDArray boxes, int steps,
            NDArray stepLength) {
        // refine_boxes is the one method whose CPU result depends on libtorch's thread count (its gradient
        // ascent amplifies a 1e-6 px difference to pixels over a sequence): it always runs with
        // REFINE_THREADS, so boxes do not depend on the thread count (ThreadCountTest)
        boolean cpu = !device.isGpu();
        synchronized (REFINE_LOCK) {
            int before = cpu ? JniUtils.getNumThreads() : REFINE_THREADS;
            if (before != REFINE_THREADS) {
                JniUtils.setNumThreads(REFINE_THREADS);
            }
            try {
                return call("refine_boxes", true, modulation.get(0), modulation.get(1), layer2, layer3,
                        boxes, boxes.getManager().create((long) steps), stepLength);
            } finally {
                if (before != REFINE_THREADS) {
                    JniUtils.setNumThreads(before);
                }
            }
        }
    }

    @Override
    public void close() {
        selectorManager.close();
        model.close();
    }
}
