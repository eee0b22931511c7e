package org.prdimp.fiji.engine;

/**
 * Applies only a share of box refinement's move (tracker parameters {@code box_refinement_position_rate}
 * and {@code box_refinement_size_rate}; see {@link TrackerParams#refinePositionRate}): the centre moves
 * that share of the way from the box at the classifier's peak to the refined box's centre, width and
 * height that share of the way geometrically. Boxes are {x, y, w, h} in crop pixels.
 */
public final class RefinementRates {
    private RefinementRates() {
    }

    /** The damped box; {@code refined} itself when both rates are 1 (PrDiMP). */
    public static float[] apply(float[] refined, float[] atPeak, double positionRate, double sizeRate) {
        if (positionRate == 1 && sizeRate == 1) {
            return refined;
        }
        double pcx = atPeak[0] + atPeak[2] / 2.0;
        double pcy = atPeak[1] + atPeak[3] / 2.0;
        double cx = pcx + positionRate * (refined[0] + refined[2] / 2.0 - pcx);
        double cy = pcy + positionRate * (refined[1] + refined[3] / 2.0 - pcy);
        double w = atPeak[2] * Math.pow(refined[2] / atPeak[2], sizeRate);
        double h = atPeak[3] * Math.pow(refined[3] / atPeak[3], sizeRate);
        return new float[] {(float) (cx - w / 2), (float) (cy - h / 2), (float) w, (float) h};
    }
}
