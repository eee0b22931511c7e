package org.prdimp.fiji.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The tracker parameters a run may replace in a model folder ({@link ModelFolder#withTrackerOverrides}), each
 * with the kind of value {@link TrackerParams} reads: a whole number, a number, or true/false. These are the
 * keys of {@code config.prdimp.tracker} the engine reads, optional ones included. Not among them: the crop
 * geometry the network was built for ({@link #GEOMETRY}) and the list-valued augmentation settings.
 */
public final class TrackerOverrides {
    /** What a parameter's value must be. */
    public enum Kind {
        WHOLE_NUMBER("a whole number"), NUMBER("a number"), FLAG("true or false");

        private final String words;

        Kind(String words) {
            this.words = words;
        }

        @Override
        public String toString() {
            return words;
        }
    }

    /** Parameters fixed by the network's geometry: changing one would no longer match the weights. */
    public static final Set<String> GEOMETRY = Set.of("crop_size", "feature_stride", "feature_size", "score_size",
            "filter_size");
    /** List-valued parameters (augmentation of the first frame): set in rdf.yaml only. */
    public static final Set<String> LISTS = Set.of("init_augmentation_blurs", "init_augmentation_rotations",
            "init_augmentation_dropout");

    /** Every parameter that may be replaced, in the order {@link TrackerParams} reads them. */
    public static final Map<String, Kind> KNOWN;

    static {
        Map<String, Kind> k = new LinkedHashMap<>();
        k.put("search_area_scale", Kind.NUMBER);
        k.put("sample_memory_size", Kind.WHOLE_NUMBER);
        k.put("learning_rate", Kind.NUMBER);
        k.put("hard_negative_learning_rate", Kind.NUMBER);
        k.put("init_samples_minimum_weight", Kind.NUMBER);
        k.put("init_optimizer_iterations", Kind.WHOLE_NUMBER);
        k.put("update_optimizer_iterations", Kind.WHOLE_NUMBER);
        k.put("update_interval", Kind.WHOLE_NUMBER);
        k.put("hard_negative_optimizer_iterations", Kind.WHOLE_NUMBER);
        k.put("target_not_found_threshold", Kind.NUMBER);
        k.put("distractor_threshold", Kind.NUMBER);
        k.put("hard_negative_threshold", Kind.NUMBER);
        k.put("target_neighborhood_scale", Kind.NUMBER);
        k.put("displacement_scale", Kind.NUMBER);
        k.put("minimum_target_size_in_crop", Kind.NUMBER);
        k.put("init_augmentation_shift", Kind.NUMBER);
        k.put("box_refinement_proposals", Kind.WHOLE_NUMBER);
        k.put("box_refinement_jitter_position", Kind.NUMBER);
        k.put("box_refinement_jitter_size", Kind.NUMBER);
        k.put("box_refinement_steps", Kind.WHOLE_NUMBER);
        k.put("box_refinement_step_length", Kind.NUMBER);
        k.put("box_refinement_max_aspect_ratio", Kind.NUMBER);
        k.put("box_refinement_top_k", Kind.WHOLE_NUMBER);
        k.put("box_refinement", Kind.FLAG);
        k.put("box_refinement_position_rate", Kind.NUMBER);
        k.put("box_refinement_size_rate", Kind.NUMBER);
        k.put("box_refinement_size_rate_colour", Kind.NUMBER);
        k.put("recovery_max_widening", Kind.NUMBER);
        k.put("motion_prior_sigma", Kind.NUMBER);
        KNOWN = Collections.unmodifiableMap(k);
    }

    private static final Pattern WHOLE = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?");

    private TrackerOverrides() {
    }

    /**
     * Parses {@code key=value} pairs as a user writes them (eval's {@code --model DIR@key=value,...}, track's
     * {@code --set key=value}), each key and value checked ({@link #value}) before anything runs.
     *
     * @return key to value as written, in the order given
     * @throws IllegalArgumentException one line: a pair that is not key=value, a key given twice, an unknown key or
     *                                  a value of the wrong kind
     */
    public static Map<String, String> parse(List<String> pairs) {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + pair + "' is not key=value; give a tracker parameter and its"
                        + " value, e.g. box_refinement_size_rate=0");
            }
            String key = pair.substring(0, eq).trim();
            String text = pair.substring(eq + 1).trim();
            if (parsed.put(key, text) != null) {
                throw new IllegalArgumentException("the tracker parameter " + key + " is given twice; give it once");
            }
            value(key, text);
        }
        return Collections.unmodifiableMap(parsed);
    }

    /**
     * The overrides in one canonical text, independent of order and of how a value was written ("0", "0.0"):
     * two runs with the same text track with the same parameters. Empty for none.
     *
     * @throws IllegalArgumentException as {@link #value}
     */
    public static String canonical(Map<String, ?> overrides) {
        StringBuilder sb = new StringBuilder();
        for (String key : new java.util.TreeSet<>(overrides.keySet())) {
            sb.append(sb.length() == 0 ? "" : ",").append(key).append('=').append(value(key, overrides.get(key)));
        }
        return sb.toString();
    }

    /**
     * The value to store for {@code key}: text is parsed ("true"/"false", "12", "0.25", "1e-3"), a Boolean or
     * Number is checked. Whole numbers become Integer, numbers Double.
     *
     * @throws IllegalArgumentException one line naming the key and what it expects
     */
    public static Object value(String key, Object given) {
        Kind kind = kind(key);
        String text = String.valueOf(given).trim();
        switch (kind) {
            case FLAG:
                if (given instanceof Boolean) {
                    return given;
                }
                if (!(given instanceof Number) && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
                    return Boolean.parseBoolean(text);
                }
                break;
            case WHOLE_NUMBER:
                if (given instanceof Number && isWhole((Number) given)) {
                    return ((Number) given).intValue();
                }
                if (given instanceof String && WHOLE.matcher(text).matches()) {
                    try {
                        return Integer.parseInt(text.startsWith("+") ? text.substring(1) : text);
                    } catch (NumberFormatException e) {
                        break; // beyond int
                    }
                }
                break;
            default:
                if (given instanceof Number && Double.isFinite(((Number) given).doubleValue())) {
                    return ((Number) given).doubleValue();
                }
                if (given instanceof String && DECIMAL.matcher(text).matches() && Double.isFinite(Double.parseDouble(text))) {
                    return Double.parseDouble(text);
                }
        }
        throw new IllegalArgumentException("the tracker parameter " + key + " must be " + kind + ", not '" + text + "'");
    }

    /**
     * What {@code key} takes.
     *
     * @throws IllegalArgumentException one line: why the key cannot be overridden, or the known keys
     */
    public static Kind kind(String key) {
        Kind kind = KNOWN.get(key);
        if (kind != null) {
            return kind;
        }
        if (GEOMETRY.contains(key)) {
            throw new IllegalArgumentException("the tracker parameter " + key + " is fixed by the network's crop geometry"
                    + " and cannot be overridden; search_area_scale changes how much image the crop covers");
        }
        if (LISTS.contains(key)) {
            throw new IllegalArgumentException("the tracker parameter " + key + " is a list and can only be set in the"
                    + " model folder's rdf.yaml");
        }
        throw new IllegalArgumentException("unknown tracker parameter '" + key + "'; known: " + String.join(", ",
                KNOWN.keySet()));
    }

    private static boolean isWhole(Number n) {
        double d = n.doubleValue();
        return d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE;
    }
}
