package fiji.plugin.trackmate;

/** Stand-in for TrackMate 8.0.0's {@code Model}: the spots, the feature model and the logger (what this module uses). */
public class Model {
    private SpotCollection spots = new SpotCollection();
    private Logger logger = Logger.VOID_LOGGER;
    private final FeatureModel featureModel = new FeatureModel(this);

    public FeatureModel getFeatureModel() {
        return featureModel;
    }

    public SpotCollection getSpots() {
        return spots;
    }

    public void setSpots(SpotCollection spots, boolean doNotify) {
        this.spots = spots;
    }

    public Logger getLogger() {
        return logger;
    }

    public void setLogger(Logger logger) {
        this.logger = logger;
    }
}
