package fiji.plugin.trackmate;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import net.imglib2.RealLocalizable;

/**
 * Shim of TrackMate 8.0.0 {@code Spot}: a detection with a map of numerical features, the
 * position among them (calibrated units, 2D spots at Z = 0). The real interface also extends
 * RealPositionable, RealInterval and EuclideanSpace; this shim keeps the methods this module uses.
 */
public interface Spot extends RealLocalizable, Comparable<Spot> {
    AtomicInteger IDcounter = new AtomicInteger(-1);

    String QUALITY = "QUALITY";
    String RADIUS = "RADIUS";
    String POSITION_X = "POSITION_X";
    String POSITION_Y = "POSITION_Y";
    String POSITION_Z = "POSITION_Z";
    String POSITION_T = "POSITION_T";
    String FRAME = "FRAME";
    String[] POSITION_FEATURES = {POSITION_X, POSITION_Y, POSITION_Z};

    Spot copy();

    void scale(double alpha);

    String getName();

    void setName(String name);

    int ID();

    Map<String, Double> getFeatures();

    Double getFeature(String feature);

    void putFeature(String feature, Double value);

    @Override
    default int compareTo(Spot o) {
        return Integer.compare(ID(), o.ID());
    }

    @Override
    default int numDimensions() {
        return 3;
    }

    @Override
    default double getDoublePosition(int d) {
        return getFeature(POSITION_FEATURES[d]);
    }

    default double squareDistanceTo(RealLocalizable s) {
        double sum = 0;
        for (int d = 0; d < 3; d++) {
            double dx = getDoublePosition(d) - s.getDoublePosition(d);
            sum += dx * dx;
        }
        return sum;
    }
}
