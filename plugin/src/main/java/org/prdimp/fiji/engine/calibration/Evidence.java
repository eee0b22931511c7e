package org.prdimp.fiji.engine.calibration;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * What the network says about one target in one frame, as numbers a calibration map can weigh: the
 * features of the frame's probability map and of the move the tracker made. Names (as in
 * {@code calibration.json}):
 *
 * <ul>
 * <li>{@code log_peak}: ln of the map's maximum;</li>
 * <li>{@code peak_drop}: ln(peak / the target's running peak level), the level an exponential mean over
 * the frames PrDiMP learnt from (a drop below the target's usual peak);</li>
 * <li>{@code second_ratio}: second peak (outside the target neighbourhood) / first peak;</li>
 * <li>{@code mass}: share of the map within the target neighbourhood of the chosen peak;</li>
 * <li>{@code entropy}: entropy of the map / ln(cells) (0 one cell, 1 flat);</li>
 * <li>{@code spread}: sqrt(sigma_x sigma_y) of the map around its peak / the target's size sqrt(w h);</li>
 * <li>{@code displacement}: distance from the previous centre to the new one / sqrt(w h);</li>
 * <li>{@code size_change}: |ln(new area / previous area)|;</li>
 * <li>{@code uncertain_peaks}, {@code hard_negative}, {@code not_found}: 1 when the peak analysis said so;</li>
 * <li>{@code widened}: log2 of the search-area widening while the target is searched for after a loss;</li>
 * <li>{@code log_frames}: ln(1 + frames since the box was given);</li>
 * <li>{@code init_peak_drop}: ln(peak / the peak in the frame the box was given);</li>
 * <li>{@code track_level}: ln(running mean of the peak over every frame / the first frame's peak);</li>
 * <li>{@code log_size}: ln of the target's size sqrt(w h) in pixels;</li>
 * <li>{@code size_drift}: |ln(sqrt(w h) of the new box / sqrt(w h) of the box given)|: how far the box's size
 * has moved from the one the user gave (with box refinement a box can stay centred while its size drifts
 * off the target's, which the map's evidence does not show);</li>
 * <li>{@code box_score_drop}: the box regressor's log-density of its best refined box this frame minus the same
 * in the first frame refined after the box was given (0 without box refinement or when the regressor gives no
 * finite value): a box that fits the target worse than at the start, e.g. whose size no longer matches;</li>
 * <li>{@code colour_source}: 1 when the frame the target was given in is in colour (three channels that
 * differ somewhere), 0 for a grey source (one channel, or three equal ones). It picks the calibration's
 * image domain ({@link Calibration#forEvidence}): grey sources are microscopy's, colour ones natural video's.</li>
 * </ul>
 */
public final class Evidence {
    public static final List<String> NAMES = Collections.unmodifiableList(Arrays.asList(
            "log_peak", "peak_drop", "second_ratio", "mass", "entropy", "spread", "displacement", "size_change",
            "uncertain_peaks", "hard_negative", "not_found", "widened", "log_frames", "init_peak_drop", "track_level",
            "log_size", "size_drift", "box_score_drop", "colour_source"));

    private final double[] values;

    public Evidence(double[] values) {
        if (values.length != NAMES.size()) {
            throw new IllegalArgumentException(values.length + " evidence values for " + NAMES.size() + " names");
        }
        this.values = values.clone();
    }

    /** Index of a feature name, -1 when unknown. */
    public static int index(String name) {
        return NAMES.indexOf(name);
    }

    public double get(int index) {
        return values[index];
    }

    public double get(String name) {
        int i = index(name);
        if (i < 0) {
            throw new IllegalArgumentException("no evidence feature '" + name + "'");
        }
        return values[i];
    }

    /** True when the target's source image is in colour (the natural-video domain of a calibration). */
    public boolean colourSource() {
        return values[NAMES.size() - 1] > 0.5;
    }

    public double[] values() {
        return values.clone();
    }
}
