package org.prdimp.fiji.engine.calibration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;


/**
 * A model's calibration map ({@code calibration.json} in the model folder, written by
 * {@code ./prdimp calibrate}): a logistic regression from the frame's {@link Evidence} to the probability
 * that the box overlaps the target with IoU >= 0.5, the two thresholds that turn that probability into
 * the user's state (tracked / uncertain / lost), and the per-frame factor that turns the probability map's spread into a
 * positional uncertainty (sigma, pixels, one standard deviation per axis; {@link SigmaModel}, format 3; one factor for
 * every frame in formats 1 and 2) whose 95 % ellipse holds about 93.5 % of a typical sequence's tracked centre errors.
 *
 * <p>p = 1 / (1 + exp(-(bias + sum_i w_i z_i))), z_i = clip((x_i - mean_i) / scale_i, -6, 6).
 *
 * <p>Image domains (format 2): the top-level map is for grey sources (microscopy, the plugin's first use);
 * an optional second map ({@code "colour"} in the file) is for colour sources (natural video). The rule
 * the engine applies to any input: a target whose first frame has three channels that differ somewhere
 * is a colour source ({@link Evidence#colourSource}); one channel, or three equal ones, is grey. Without
 * a colour map (format 1 files) the one map serves both.
 */
public final class Calibration {
    public static final String FILE = "calibration.json";
    public static final String FORMAT = "prdimp-calibration/3";
    /** Format 2 (a map per image domain, sigma one factor x the map's spread), still read. */
    public static final String FORMAT_2 = "prdimp-calibration/2";
    /** The earlier format (one map for every input), still read. */
    public static final String FORMAT_1 = "prdimp-calibration/1";
    private static final double CLIP = 6;

    public final List<String> features;
    final int[] index;
    final double[] mean;
    final double[] scale;
    final double[] weights;
    final double bias;
    /** Tracked at or above this probability. */
    public final double trackedThreshold;
    /** Lost below this probability. */
    public final double lostThreshold;
    /**
     * sigma = sigmaScale x the probability map's standard deviation around its peak: for every frame in
     * formats 1 and 2; with a {@link #sigmaModel} (format 3) only for the frame the box was given in (no
     * evidence there), where it is the model's median factor on tracked validation frames.
     */
    public final double sigmaScale;
    /** The per-frame sigma factor (format 3); null: sigmaScale for every frame. */
    public final SigmaModel sigmaModel;
    /** sha256 of the weights the map was fitted for. */
    public final String weightsSha256;
    /** Everything else in the file (how it was fitted, held-out figures), as read. */
    public final Map<String, Object> fit;
    /** The map for colour sources (natural video), null when this map serves every input. */
    public final Calibration colour;

    public Calibration(List<String> features, double[] mean, double[] scale, double[] weights, double bias,
                       double trackedThreshold, double lostThreshold, double sigmaScale, String weightsSha256,
                       Map<String, Object> fit) {
        this(features, mean, scale, weights, bias, trackedThreshold, lostThreshold, sigmaScale, null, weightsSha256, fit,
                null);
    }

    private Calibration(List<String> features, double[] mean, double[] scale, double[] weights, double bias,
                        double trackedThreshold, double lostThreshold, double sigmaScale, SigmaModel sigmaModel,
                        String weightsSha256, Map<String, Object> fit, Calibration colour) {
        int n = features.size();
        if (mean.length != n || scale.length != n || weights.length != n) {
            throw new IllegalArgumentException("one mean, scale and weight per feature");
        }
        this.features = Collections.unmodifiableList(new ArrayList<>(features));
        this.index = new int[n];
        for (int i = 0; i < n; i++) {
            index[i] = Evidence.index(features.get(i));
            if (index[i] < 0) {
                throw new IllegalArgumentException("unknown evidence feature '" + features.get(i) + "' (known: "
                        + String.join(", ", Evidence.NAMES) + ")");
            }
            if (!(scale[i] > 0)) {
                throw new IllegalArgumentException("feature '" + features.get(i) + "' has scale " + scale[i] + "; it must be above 0");
            }
        }
        if (!(lostThreshold >= 0 && lostThreshold <= trackedThreshold && trackedThreshold <= 1)) {
            throw new IllegalArgumentException("thresholds must satisfy 0 <= lost (" + lostThreshold + ") <= tracked ("
                    + trackedThreshold + ") <= 1");
        }
        if (!(sigmaScale > 0)) {
            throw new IllegalArgumentException("sigma_scale must be above 0, not " + sigmaScale);
        }
        this.mean = mean.clone();
        this.scale = scale.clone();
        this.weights = weights.clone();
        this.bias = bias;
        this.trackedThreshold = trackedThreshold;
        this.lostThreshold = lostThreshold;
        this.sigmaScale = sigmaScale;
        this.sigmaModel = sigmaModel;
        this.weightsSha256 = weightsSha256;
        this.fit = fit == null ? Collections.emptyMap() : Collections.unmodifiableMap(new LinkedHashMap<>(fit));
        if (colour != null && colour.colour != null) {
            throw new IllegalArgumentException("a colour map has no colour map of its own");
        }
        this.colour = colour;
    }

    /** The same map with other fit information. */
    public Calibration withFit(Map<String, Object> newFit) {
        return new Calibration(features, mean, scale, weights, bias, trackedThreshold, lostThreshold, sigmaScale, sigmaModel,
                weightsSha256, newFit, colour);
    }

    /**
     * This domain's map with a per-frame sigma model; {@code givenFrameScale} is the factor for the frame the
     * box was given in (no evidence). The colour map, if any, is kept.
     */
    public Calibration withSigmaModel(SigmaModel model, double givenFrameScale) {
        return new Calibration(features, mean, scale, weights, bias, trackedThreshold, lostThreshold, givenFrameScale, model,
                weightsSha256, fit, colour);
    }

    /** This map (for grey sources) with {@code colourMap} for colour sources. */
    public Calibration withColour(Calibration colourMap) {
        return new Calibration(features, mean, scale, weights, bias, trackedThreshold, lostThreshold, sigmaScale, sigmaModel,
                weightsSha256, fit, colourMap == null ? null : colourMap.withFit(null).domainOnly());
    }

    private Calibration domainOnly() {
        return colour == null ? this : new Calibration(features, mean, scale, weights, bias, trackedThreshold,
                lostThreshold, sigmaScale, sigmaModel, weightsSha256, fit, null);
    }

    /** The map of the evidence's image domain: the colour map for a colour source where there is one, else this. */
    public Calibration forEvidence(Evidence e) {
        return forSource(e.colourSource());
    }

    /** The map for a colour source (the colour map where there is one) or a grey one (this). */
    public Calibration forSource(boolean colourSource) {
        return colour != null && colourSource ? colour : this;
    }

    /** The weight of each feature (on the standardised scale). */
    public double[] weights() {
        return weights.clone();
    }

    public double bias() {
        return bias;
    }

    /** The probability that the box overlaps the target with IoU >= 0.5 (with the map of the evidence's domain). */
    public double probability(Evidence e) {
        Calibration m = forEvidence(e);
        if (m != this) {
            return m.probability(e);
        }
        double s = bias;
        for (int i = 0; i < index.length; i++) {
            s += weights[i] * standardised(i, e.get(index[i]));
        }
        return 1 / (1 + Math.exp(-s));
    }

    double standardised(int i, double x) {
        double z = (x - mean[i]) / scale[i];
        if (Double.isNaN(z)) {
            return 0;
        }
        return Math.max(-CLIP, Math.min(CLIP, z));
    }

    /** The tracked threshold of the evidence's domain: a probability at or above it is {@code tracked}. */
    public double trackedThreshold(Evidence e) {
        return forEvidence(e).trackedThreshold;
    }

    /** The lost threshold of the evidence's domain: a probability below it is {@code lost}. */
    public double lostThreshold(Evidence e) {
        return forEvidence(e).lostThreshold;
    }

    /**
     * The frame's sigma factor in the evidence's domain: sigma_x = this x the probability map's standard
     * deviation in x (image pixels), the same for y. The sigma model's factor where the map has one (format 3),
     * else the one sigma_scale.
     */
    public double sigmaScale(Evidence e) {
        Calibration m = forEvidence(e);
        return m.sigmaModel == null ? m.sigmaScale : m.sigmaModel.scale(e, m.probability(e));
    }

    /** Reads {@code calibration.json}; IllegalArgumentException naming what is wrong. */
    public static Calibration read(Path file) throws IOException {
        Object parsed;
        try (InputStream in = Files.newInputStream(file)) {
            parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(in); // JSON is YAML
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " is not valid JSON (" + e.getMessage() + ")");
        }
        if (!(parsed instanceof Map)) {
            throw new IllegalArgumentException(file + " is not a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) parsed;
        boolean three = FORMAT.equals(m.get("format"));
        boolean two = three || FORMAT_2.equals(m.get("format"));
        if (!two && !FORMAT_1.equals(m.get("format"))) {
            throw new IllegalArgumentException(file + ": format is " + m.get("format") + ", expected " + FORMAT + ", "
                    + FORMAT_2 + " or " + FORMAT_1);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fit = m.get("fit") instanceof Map ? (Map<String, Object>) m.get("fit") : null;
        String sha = m.get("weights_sha256") == null ? null : String.valueOf(m.get("weights_sha256"));
        Calibration colourMap = null;
        if (two && m.get("colour") != null) {
            if (!(m.get("colour") instanceof Map)) {
                throw new IllegalArgumentException(file + ": 'colour' must be a JSON object (the map for colour sources)");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> c = (Map<String, Object>) m.get("colour");
            colourMap = map(c, sha, null, null, three);
        }
        return map(m, sha, fit, colourMap, three);
    }

    private static Calibration map(Map<String, Object> m, String sha, Map<String, Object> fit, Calibration colourMap,
                                   boolean three) {
        List<String> names = new ArrayList<>();
        for (Object o : list(m, "features")) {
            names.add(String.valueOf(o));
        }
        SigmaModel sigma = three && m.get("sigma_model") != null ? SigmaModel.read(m.get("sigma_model")) : null;
        return new Calibration(names, numbers(m, "mean"), numbers(m, "scale"), numbers(m, "weights"), number(m, "bias"),
                number(m, "tracked_threshold"), number(m, "lost_threshold"), number(m, "sigma_scale"), sigma, sha, fit,
                colourMap);
    }

    /** Writes the map as JSON (the format {@link #read} reads). */
    public void write(Path file) throws IOException {
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"format\": ").append(Json.string(FORMAT)).append(",\n");
        sb.append("  \"what\": ").append(Json.string("confidence = P(IoU >= 0.5) = logistic(bias + sum w_i clip((x_i - mean_i)"
                + " / scale_i, -6, 6)); state tracked if confidence >= tracked_threshold, lost if below lost_threshold or"
                + " no box, else uncertain; sigma_x, sigma_y = one standard deviation of the box centre's error per axis,"
                + " image pixels: k x the probability map's standard deviation in x, y (pixels), with ln k = ln"
                + " sigma_model.factor + sigma_model.intercept + sum c_j clip(t_j, low_j, high_j) over the terms t_j (log_spread"
                + " = ln spread, log_p = ln confidence, else the evidence feature of that name; fitted by maximum likelihood of"
                + " a 2-D Gaussian centre error on tracked validation frames with IoU >= 0.5, the factor then sets the 95 %"
                + " ellipse (2.45 sigma) to hold 93.5 % of the tracked frames' errors in the median validation sequence, and at least"
                + " 90 % of the errors of all tracked validation frames, every sequence weighing the same); without sigma_model k = sigma_scale, which"
                + " also serves the frame the box was given in. The top-level map"
                + " is for grey sources (microscopy); 'colour', where present, for colour sources (natural video): a target"
                + " whose first frame has three channels that differ somewhere")).append(",\n");
        sb.append("  \"weights_sha256\": ").append(Json.string(weightsSha256)).append(",\n");
        appendMap(sb, "  ");
        if (colour != null) {
            sb.append("  \"colour\": {\n");
            colour.appendMap(sb, "    ");
            sb.setLength(sb.length() - 2);
            sb.append("\n  },\n");
        }
        sb.append("  \"fit\": ").append(Json.value(fit, "  ")).append("\n}\n");
        Files.write(file, sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private void appendMap(StringBuilder sb, String in) {
        sb.append(in).append("\"features\": ").append(Json.value(features)).append(",\n");
        sb.append(in).append("\"mean\": ").append(Json.numbers(mean)).append(",\n");
        sb.append(in).append("\"scale\": ").append(Json.numbers(scale)).append(",\n");
        sb.append(in).append("\"weights\": ").append(Json.numbers(weights)).append(",\n");
        sb.append(in).append("\"bias\": ").append(Json.number(bias)).append(",\n");
        sb.append(in).append("\"tracked_threshold\": ").append(Json.number(trackedThreshold)).append(",\n");
        sb.append(in).append("\"lost_threshold\": ").append(Json.number(lostThreshold)).append(",\n");
        sb.append(in).append("\"sigma_scale\": ").append(Json.number(sigmaScale)).append(",\n");
        if (sigmaModel != null) {
            sigmaModel.append(sb, in);
        }
    }

    private static List<?> list(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof List)) {
            throw new IllegalArgumentException("calibration lacks the list '" + key + "'");
        }
        return (List<?>) v;
    }

    static double[] numbers(Map<String, Object> m, String key) {
        List<?> l = list(m, key);
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Number)) {
                throw new IllegalArgumentException("calibration: '" + key + "' holds " + l.get(i) + ", not a number");
            }
            out[i] = ((Number) l.get(i)).doubleValue();
        }
        return out;
    }

    static double number(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number)) {
            throw new IllegalArgumentException("calibration lacks the number '" + key + "'");
        }
        return ((Number) v).doubleValue();
    }
}
