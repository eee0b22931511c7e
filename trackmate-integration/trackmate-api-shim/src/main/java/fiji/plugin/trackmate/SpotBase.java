package fiji.plugin.trackmate;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Shim of TrackMate 8.0.0 {@code SpotBase}: a spot given by its position, radius and quality. */
public class SpotBase implements Spot {
    private final int id;
    private final Map<String, Double> features = new ConcurrentHashMap<>();
    private String name;

    public SpotBase(double x, double y, double z, double radius, double quality) {
        this(x, y, z, radius, quality, null);
    }

    public SpotBase(double x, double y, double z, double radius, double quality, String name) {
        this.id = IDcounter.incrementAndGet();
        this.name = name == null ? "ID" + id : name;
        putFeature(POSITION_X, x);
        putFeature(POSITION_Y, y);
        putFeature(POSITION_Z, z);
        putFeature(RADIUS, radius);
        putFeature(QUALITY, quality);
    }

    @Override
    public Spot copy() {
        SpotBase s = new SpotBase(getFeature(POSITION_X), getFeature(POSITION_Y), getFeature(POSITION_Z),
                getFeature(RADIUS), getFeature(QUALITY), name);
        s.features.putAll(features);
        return s;
    }

    @Override
    public void scale(double alpha) {
        putFeature(RADIUS, getFeature(RADIUS) * alpha);
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public void setName(String name) {
        this.name = name;
    }

    @Override
    public int ID() {
        return id;
    }

    @Override
    public Map<String, Double> getFeatures() {
        return features;
    }

    @Override
    public Double getFeature(String feature) {
        return features.get(feature);
    }

    @Override
    public void putFeature(String feature, Double value) {
        features.put(feature, value);
    }

    @Override
    public int hashCode() {
        return id;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Spot && ((Spot) o).ID() == id;
    }

    @Override
    public String toString() {
        return name;
    }
}
