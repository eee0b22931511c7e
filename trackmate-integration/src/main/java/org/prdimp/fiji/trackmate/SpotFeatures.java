package org.prdimp.fiji.trackmate;

import org.prdimp.fiji.engine.TargetResult;

import fiji.plugin.trackmate.Spot;

/**
 * Spots from the engine's results: pixel centres to TrackMate's calibrated coordinates and back,
 * and the PrDiMP spot features. Engine pixel i covers [i, i+1) (centre i + 0.5); TrackMate puts
 * pixel i's centre at i times the pixel size.
 */
final class SpotFeatures {
    /** Positional uncertainty along x (calibrated units, one standard deviation; calibrated map spread). */
    static final String SIGMA_X = "PRDIMP_SIGMA_X";
    static final String SIGMA_Y = "PRDIMP_SIGMA_Y";
    /** The user state: 0 tracked, 1 uncertain, 2 lost (see TargetState). QUALITY is the calibrated confidence. */
    static final String STATE = "PRDIMP_STATE";
    /** Which seeded target (1-based) the spot belongs to. */
    static final String TARGET = "PRDIMP_TARGET";

    private SpotFeatures() {
    }

    /** A spot for a found target ({@code r.box != null}); calibration: pixel width, height, frame interval. */
    static Spot spot(TargetResult r, double dx, double dy, double dt) {
        double x = (r.box.cx() - 0.5) * dx;
        double y = (r.box.cy() - 0.5) * dy;
        double radius = 0.5 * Math.sqrt(r.box.w * r.box.h) * dx;
        Spot s = new Spot(x, y, 0, radius, r.confidence);
        s.putFeature(SIGMA_X, r.sigmaX * dx);
        s.putFeature(SIGMA_Y, r.sigmaY * dy);
        s.putFeature(STATE, (double) r.state.ordinal());
        s.putFeature(TARGET, (double) (r.target + 1));
        s.putFeature(Spot.POSITION_T, r.frame * dt);
        return s;
    }

    /** Engine pixel coordinate of a calibrated TrackMate coordinate. */
    static double toPixel(double calibrated, double pixelSize) {
        return calibrated / pixelSize + 0.5;
    }
}
