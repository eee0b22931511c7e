package org.prdimp.fiji.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import org.prdimp.fiji.engine.calibration.Calibration;

/**
 * A model folder written by {@code prdimp.export.model_folder}: {@code rdf.yaml} (bioimage.io-style descriptor
 * whose {@code config.prdimp} section holds the network and tracker parameters) and the TorchScript
 * file it names. Opening checks that the descriptor is complete and that the weights match its sha256.
 */
public final class ModelFolder {
    public static final String DESCRIPTOR = "rdf.yaml";
    public static final int CONTRACT_VERSION = 2;

    private final Path folder;
    private final Path weights;
    private final String name;
    private final Map<String, Object> network;
    private final Map<String, Object> tracker;
    private final String weightsSha256;
    private final Calibration calibration;
    /** Tracker parameters replaced by {@link #withTrackerOverrides}, in the order given; empty for the folder as written. */
    private final Map<String, Object> overrides;

    private ModelFolder(Path folder, Path weights, String name, Map<String, Object> network,
                        Map<String, Object> tracker, String weightsSha256, Calibration calibration,
                        Map<String, Object> overrides) {
        this.folder = folder;
        this.weights = weights;
        this.name = name;
        this.network = network;
        this.tracker = tracker;
        this.weightsSha256 = weightsSha256;
        this.calibration = calibration;
        this.overrides = overrides;
    }

    /** Reads and verifies a model folder, with its calibration when it has one. */
    public static ModelFolder open(Path folder) throws ModelException {
        return open(folder, true);
    }

    /**
     * Reads and verifies a model folder without its calibration (the raw peak as confidence): what
     * {@code ./prdimp calibrate} runs before it has fitted a map.
     */
    public static ModelFolder openUncalibrated(Path folder) throws ModelException {
        return open(folder, false);
    }

    private static ModelFolder open(Path folder, boolean calibrated) throws ModelException {
        if (!Files.isDirectory(folder)) {
            throw new ModelException("model folder " + folder + " does not exist; give a folder holding "
                    + DESCRIPTOR + " and the TorchScript file, or leave the model unset for the bundled default");
        }
        Path rdf = folder.resolve(DESCRIPTOR);
        if (!Files.isRegularFile(rdf)) {
            throw new ModelException(folder + " is not a model folder: " + DESCRIPTOR
                    + " is missing (export or convert the model with models/prdimp)");
        }
        Map<String, Object> desc;
        try (InputStream in = Files.newInputStream(rdf)) {
            Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            if (!(parsed instanceof Map)) {
                throw new ModelException(rdf + " is not a YAML mapping; re-export the model");
            }
            desc = cast(parsed);
        } catch (IOException | RuntimeException e) {
            throw new ModelException(rdf + " cannot be read as YAML (" + e.getMessage() + "); re-export the model");
        }
        Map<String, Object> ts = section(rdf, desc, "weights", "torchscript");
        Map<String, Object> prdimp = section(rdf, desc, "config", "prdimp");
        Object contract = prdimp.get("contract_version");
        if (!(contract instanceof Number) || ((Number) contract).intValue() != CONTRACT_VERSION) {
            throw new ModelException(rdf + " declares contract version " + contract + " but this plugin reads version "
                    + CONTRACT_VERSION + "; re-export it: from the project's models/ folder run /usr/bin/python3 -m prdimp.export.reexport "
                    + folder.toAbsolutePath());
        }
        Object source = ts.get("source");
        Object sha = ts.get("sha256");
        if (!(source instanceof String) || !(sha instanceof String)) {
            throw new ModelException(rdf + " lacks weights.torchscript.source or .sha256; re-export the model");
        }
        Path weights = folder.resolve((String) source);
        if (!Files.isRegularFile(weights)) {
            throw new ModelException(folder + ": the weights file " + source + " named in " + DESCRIPTOR + " is missing");
        }
        String actual = sha256(weights);
        if (!actual.equalsIgnoreCase((String) sha)) {
            throw new ModelException(folder + ": " + source + " does not match the sha256 in " + DESCRIPTOR
                    + " (the file is corrupt or was replaced); copy or export the model folder again");
        }
        Object name = desc.get("name");
        ModelFolder model = new ModelFolder(folder, weights, name == null ? folder.getFileName().toString() : name.toString(),
                section(rdf, prdimp, "network"), section(rdf, prdimp, "tracker"), actual,
                calibrated ? calibration(folder, actual) : null, Map.of());
        model.checkParameters(rdf);
        return model;
    }

    /**
     * This folder with some tracker parameters replaced (same weights, same calibration): what a run such as
     * {@code ./prdimp eval --model DIR@box_refinement=false} tracks with, without writing another folder. Keys
     * are those of {@link TrackerOverrides#KNOWN}; a value is text ("true", "12", "0.25") or a Boolean or Number,
     * of the kind the engine reads. Overrides of a folder that already has some add to them (the later wins).
     *
     * @throws IllegalArgumentException one line naming the key and what it expects
     */
    public ModelFolder withTrackerOverrides(Map<String, ?> replaced) {
        Map<String, Object> all = new LinkedHashMap<>(overrides);
        for (Map.Entry<String, ?> e : replaced.entrySet()) {
            all.remove(e.getKey());
            all.put(e.getKey(), TrackerOverrides.value(e.getKey(), e.getValue()));
        }
        Map<String, Object> params = new LinkedHashMap<>(tracker);
        params.putAll(all);
        ModelFolder copy = new ModelFolder(folder, weights, name, network, params, weightsSha256, calibration,
                Collections.unmodifiableMap(all));
        try {
            new TrackerParams(copy); // the same reading as the folder's own parameters got when it was opened
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        return copy;
    }

    /** The tracker parameters replaced by {@link #withTrackerOverrides}, in the order given (empty: none). */
    public Map<String, Object> trackerOverrides() {
        return overrides;
    }

    /** The overrides as {@code key=value,key=value} (empty when there are none). */
    public String trackerOverridesText() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : overrides.entrySet()) {
            Object v = e.getValue();
            sb.append(sb.length() == 0 ? "" : ",").append(e.getKey()).append('=').append(v instanceof Double
                    ? java.math.BigDecimal.valueOf((Double) v).stripTrailingZeros().toPlainString() : v);
        }
        return sb.toString();
    }

    /** Reads every tracker parameter once, so that a missing or mistyped one fails here, before any run starts. */
    private void checkParameters(Path rdf) throws ModelException {
        Object channels = network.get("input_channels");
        if (!(channels instanceof Number)) {
            throw new ModelException(rdf + ": config.prdimp.network.input_channels " + (channels == null ? "is missing"
                    : "must be a number, not '" + channels + "'") + "; re-export the model or correct " + DESCRIPTOR);
        }
        try {
            new TrackerParams(this);
        } catch (IllegalStateException e) {
            throw new ModelException(rdf + ": " + e.getMessage() + "; re-export the model or correct " + DESCRIPTOR);
        } catch (ClassCastException | IndexOutOfBoundsException | NullPointerException e) {
            throw new ModelException(rdf + ": a list parameter of config.prdimp.tracker (init_augmentation_blurs,"
                    + " init_augmentation_rotations, init_augmentation_dropout) is malformed; re-export the model");
        }
    }

    /**
     * The folder's {@code calibration.json}, or null when it has none. A file that cannot be read, or one
     * fitted for other weights, is refused with the command that refits it.
     */
    private static Calibration calibration(Path folder, String weightsSha) throws ModelException {
        Path file = folder.resolve(Calibration.FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        String refit = "; refit it: ./prdimp calibrate --model " + folder;
        Calibration c;
        try {
            c = Calibration.read(file);
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelException(file + " cannot be used (" + e.getMessage() + ")" + refit);
        }
        if (c.weightsSha256 != null && !c.weightsSha256.equalsIgnoreCase(weightsSha)) {
            throw new ModelException(file + " was fitted for other weights (sha256 " + c.weightsSha256 + ")" + refit);
        }
        return c;
    }

    /**
     * The calibration map of the confidence, state and sigma; null when the folder has none (the engine then
     * reports the raw peak as confidence and says so).
     */
    public Calibration calibration() {
        return calibration;
    }

    /** sha256 of the weights file (checked against the descriptor when the folder was opened). */
    public String weightsSha256() {
        return weightsSha256;
    }

    private static Map<String, Object> section(Path rdf, Map<String, Object> map, String... keys) throws ModelException {
        Object cur = map;
        StringBuilder path = new StringBuilder();
        for (String k : keys) {
            path.append(path.length() == 0 ? "" : ".").append(k);
            if (!(cur instanceof Map) || !(((Map<?, ?>) cur).get(k) instanceof Map)) {
                throw new ModelException(rdf + " lacks the section '" + path + "'; re-export the model");
            }
            cur = ((Map<?, ?>) cur).get(k);
        }
        return cast(cur);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }

    static String sha256(Path file) throws ModelException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            StringBuilder sb = new StringBuilder();
            for (byte b : md.digest()) {
                sb.append(String.format("%02x", b));
            }
            return sb.toString();
        } catch (IOException e) {
            throw new ModelException("cannot read " + file + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path folder() {
        return folder;
    }

    public Path weights() {
        return weights;
    }

    public String name() {
        return name;
    }

    public String variant() {
        return String.valueOf(network.get("variant"));
    }

    public int inputChannels() {
        return ((Number) network.get("input_channels")).intValue();
    }

    /** A tracker parameter as a number; fails loudly when the descriptor lacks it or it is not a number. */
    public double param(String key) {
        Object v = tracker.get(key);
        if (v == null) {
            throw new IllegalStateException("the tracker parameter config.prdimp.tracker." + key + " is missing");
        }
        if (!(v instanceof Number)) {
            throw new IllegalStateException("the tracker parameter config.prdimp.tracker." + key + " must be a number, not '"
                    + v + "'");
        }
        return ((Number) v).doubleValue();
    }

    /** A tracker parameter as a number, {@code otherwise} when the descriptor does not set it. */
    public double param(String key, double otherwise) {
        Object v = tracker.get(key);
        if (v == null) {
            return otherwise;
        }
        if (!(v instanceof Number)) {
            throw new IllegalStateException("model descriptor: tracker parameter '" + key + "' must be a number, not " + v);
        }
        return ((Number) v).doubleValue();
    }

    public int intParam(String key) {
        return (int) Math.round(param(key));
    }

    /** A boolean tracker parameter, {@code otherwise} when the descriptor does not set it. */
    public boolean flag(String key, boolean otherwise) {
        Object v = tracker.get(key);
        if (v == null) {
            return otherwise;
        }
        if (!(v instanceof Boolean)) {
            throw new IllegalStateException("the tracker parameter config.prdimp.tracker." + key + " must be true or false, not '"
                    + v + "'");
        }
        return (Boolean) v;
    }

    /** A list-valued tracker parameter (e.g. augmentation settings). */
    public List<?> listParam(String key) {
        Object v = tracker.get(key);
        if (v == null) {
            throw new IllegalStateException("the tracker parameter config.prdimp.tracker." + key + " (a list) is missing");
        }
        if (!(v instanceof List)) {
            throw new IllegalStateException("the tracker parameter config.prdimp.tracker." + key + " must be a list, not '"
                    + v + "'");
        }
        return (List<?>) v;
    }

    public Map<String, Object> trackerParams() {
        return Collections.unmodifiableMap(tracker);
    }

    @Override
    public String toString() {
        return name + " (" + variant() + ", " + folder + (overrides.isEmpty() ? "" : ", " + trackerOverridesText()) + ")";
    }
}
