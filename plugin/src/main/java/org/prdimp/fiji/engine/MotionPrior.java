package org.prdimp.fiji.engine;

/**
 * A Gaussian prior on the target's displacement between two frames, multiplied into the
 * classifier's probability map before its peaks are read: the posterior over positions given the
 * map (the likelihood) and "the target moved little" (the prior). Not part of PrDiMP; a model folder
 * turns it on with the tracker parameter {@code motion_prior_sigma} (the prior's standard deviation
 * in target sizes, sqrt(w h); 0 = off). It keeps a target that has barely moved from being abandoned
 * for a brighter look-alike several cell diameters away, which PrDiMP's own distractor rule (the
 * peak's distance to the previous position only breaks ties) does not prevent.
 *
 * <p>The map is centred on the previous position (the crop is), so the prior is centred on the score
 * cell of the crop centre. The weighted map is rescaled to the original map's total, so thresholds on
 * peak heights keep their meaning for a target that did not move.
 */
public final class MotionPrior {
    private MotionPrior() {
    }

    /**
     * @param p probability map, row-major, size h x w (not changed)
     * @param sigmaCells the prior's standard deviation in score cells
     * @param centre score-map coordinate of the previous position (both axes: the crop is square)
     * @return the weighted map, or {@code p} itself when sigmaCells is not positive
     */
    public static float[] apply(float[] p, int w, int h, double sigmaCells, double centre) {
        if (!(sigmaCells > 0) || Double.isInfinite(sigmaCells)) {
            return p;
        }
        float[] out = new float[p.length];
        double before = 0;
        double after = 0;
        double twoVar = 2 * sigmaCells * sigmaCells;
        for (int y = 0; y < h; y++) {
            double dy = y - centre;
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double dx = x - centre;
                double v = Math.max(0, p[i]);
                double weighted = v * Math.exp(-(dx * dx + dy * dy) / twoVar);
                out[i] = (float) weighted;
                before += v;
                after += weighted;
            }
        }
        if (!(after > 0)) {
            return p;
        }
        float k = (float) (before / after);
        for (int i = 0; i < out.length; i++) {
            out[i] *= k;
        }
        return out;
    }
}
