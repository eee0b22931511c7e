package fiji.plugin.trackmate;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import net.imglib2.AbstractEuclideanSpace;
import net.imglib2.RealLocalizable;

/**
 * Stand-in for TrackMate 8.0.0's {@code Spot}: a class (not an interface) extending imglib2's
 * {@link AbstractEuclideanSpace} in 3 dimensions, with the same constructors; a map of numerical
 * features, the position among them (calibrated units). Identity is the ID: {@code equals},
 * {@code hashCode} and {@code compareTo} use it, as in TrackMate. Members this module uses only.
 */
public class Spot extends AbstractEuclideanSpace implements RealLocalizable, Comparable<Spot> {
    public static AtomicInteger IDcounter = new AtomicInteger(-1);

    public static final String QUALITY = "QUALITY";
    public static final String RADIUS = "RADIUS";
    public static final String POSITION_X = "POSITION_X";
    public static final String POSITION_Y = "POSITION_Y";
    public static final String POSITION_Z = "POSITION_Z";
    public static final String POSITION_T = "POSITION_T";
    public static final String FRAME = "FRAME";
    public static final String[] POSITION_FEATURES = new String[] {POSITION_X, POSITION_Y, POSITION_Z};

    private final ConcurrentHashMap<String, Double> features = new ConcurrentHashMap<>();
    private String name;
    private final int ID;

    public Spot(final double x, final double y, final double z, final double radius, final double quality, final String name) {
        super(3);
        this.ID = IDcounter.incrementAndGet();
        putFeature(POSITION_X, x);
        putFeature(POSITION_Y, y);
        putFeature(POSITION_Z, z);
        putFeature(RADIUS, radius);
        putFeature(QUALITY, quality);
        this.name = name == null ? "ID" + ID : name;
    }

    public Spot(final double x, final double y, final double z, final double radius, final double quality) {
        this(x, y, z, radius, quality, null);
    }

    public Spot(final RealLocalizable location, final double radius, final double quality, final String name) {
        this(location.getDoublePosition(0), location.getDoublePosition(1), location.getDoublePosition(2), radius, quality, name);
    }

    public Spot(final RealLocalizable location, final double radius, final double quality) {
        this(location, radius, quality, null);
    }

    public Spot(final Spot spot) {
        this(spot, spot.getFeature(RADIUS), spot.getFeature(QUALITY), spot.getName());
    }

    /** For readers of saved files: sets the ID and moves the counter past it. */
    public Spot(final int ID) {
        super(3);
        this.ID = ID;
        synchronized (IDcounter) {
            if (IDcounter.get() < ID) {
                IDcounter.set(ID);
            }
        }
    }

    @Override
    public int hashCode() {
        return ID;
    }

    @Override
    public int compareTo(final Spot o) {
        return ID - o.ID;
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof Spot && ((Spot) other).ID == ID;
    }

    public String getName() {
        return name;
    }

    public void setName(final String name) {
        this.name = name;
    }

    public int ID() {
        return ID;
    }

    @Override
    public String toString() {
        return name == null || name.isEmpty() ? "ID" + ID : name;
    }

    public Map<String, Double> getFeatures() {
        return features;
    }

    public Double getFeature(final String feature) {
        return features.get(feature);
    }

    public void putFeature(final String feature, final Double value) {
        features.put(feature, value);
    }

    public double squareDistanceTo(final RealLocalizable s) {
        double sum = 0;
        for (int d = 0; d < 3; d++) {
            double dx = getDoublePosition(d) - s.getDoublePosition(d);
            sum += dx * dx;
        }
        return sum;
    }

    @Override
    public void localize(final float[] position) {
        for (int d = 0; d < n; ++d) {
            position[d] = getFloatPosition(d);
        }
    }

    @Override
    public void localize(final double[] position) {
        for (int d = 0; d < n; ++d) {
            position[d] = getDoublePosition(d);
        }
    }

    @Override
    public float getFloatPosition(final int d) {
        return (float) getDoublePosition(d);
    }

    @Override
    public double getDoublePosition(final int d) {
        return getFeature(POSITION_FEATURES[d]);
    }
}
