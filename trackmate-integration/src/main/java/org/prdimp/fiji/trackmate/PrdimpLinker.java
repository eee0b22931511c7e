package org.prdimp.fiji.trackmate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.SimpleWeightedGraph;
import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.engine.Frame;
import org.prdimp.fiji.engine.ModelException;
import org.prdimp.fiji.engine.SharedEngines;
import org.prdimp.fiji.engine.MultiTargetTracker;
import org.prdimp.fiji.engine.ProbabilityMap;
import org.prdimp.fiji.engine.TrackState;
import org.prdimp.fiji.engine.TrackingEngine;
import org.prdimp.fiji.io.ImagePlusFrameSource;
import org.prdimp.fiji.io.InputException;
import org.prdimp.fiji.io.NormalizedFrames;
import org.prdimp.fiji.io.TrackingAxis;
import org.prdimp.fiji.run.TrackingRun;
import org.scijava.Cancelable;

import fiji.plugin.trackmate.Logger;
import fiji.plugin.trackmate.Spot;
import fiji.plugin.trackmate.SpotCollection;
import fiji.plugin.trackmate.tracking.SpotTracker;
import ij.ImagePlus;

/**
 * Links spots with PrDiMP's appearance model. Every track keeps its own PrDiMP target model (a
 * single-target tracker started on the track's first spot, box = the spot's diameter). In each
 * frame every live track predicts its target's probability map; the probability of a spot is the
 * map's mass within the spot's radius, each cell counted for the nearest spot only
 * ({@link ProbabilityMap#probabilitiesAt}). Links are made greedily, most probable first, one spot per
 * track and one track per spot, when the probability reaches the threshold and the map has a
 * peak at all (not {@code not_found}); the target is then
 * re-centred on the spot. A track with no link carries on with its own prediction for up to
 * {@code MAX_FRAME_GAP} frames (gap closing) before it ends. Spots left over start new tracks.
 * Edge weight = 1 - probability (a cost); the probability itself is kept per edge
 * ({@link LinkProbabilities}).
 */
final class PrdimpLinker implements SpotTracker, Cancelable {
    private final SpotCollection spots;
    private final Map<String, Object> settings;
    private final ImagePlus imp;
    private final String settingsProblem;
    private SimpleWeightedGraph<Spot, DefaultWeightedEdge> graph;
    private Logger logger = Logger.VOID_LOGGER;
    private String errorMessage;
    private int threads = 1;
    private volatile String cancelReason;

    /** A track being built: its target model, its last spot and how many frames it went unlinked. */
    private static final class Track {
        final MultiTargetTracker tracker;
        Spot last;
        int missed;

        Track(MultiTargetTracker tracker, Spot first) {
            this.tracker = tracker;
            this.last = first;
        }
    }

    /** A possible link. */
    private static final class Candidate {
        final Track track;
        final Spot spot;
        final double probability;
        final double x;
        final double y;

        Candidate(Track track, Spot spot, double probability, double x, double y) {
            this.track = track;
            this.spot = spot;
            this.probability = probability;
            this.x = x;
            this.y = y;
        }
    }

    PrdimpLinker(SpotCollection spots, Map<String, Object> settings, ImagePlus imp, String settingsProblem) {
        this.spots = spots;
        this.settings = settings;
        this.imp = imp;
        this.settingsProblem = settingsProblem;
    }

    @Override
    public boolean checkInput() {
        if (settingsProblem != null) {
            errorMessage = settingsProblem;
            return false;
        }
        if (imp == null) {
            errorMessage = "PrDiMP linker: no image; the linker needs the time-lapse the spots come from";
            return false;
        }
        if (spots == null) {
            errorMessage = "PrDiMP linker: no spots to link; run a detector first";
            return false;
        }
        String modelProblem = EngineSettings.modelProblem(settings, PrdimpLinkerFactory.NAME);
        if (modelProblem != null) {
            errorMessage = modelProblem;
            return false;
        }
        return true;
    }

    @Override
    public boolean process() {
        errorMessage = null;
        graph = new SimpleWeightedGraph<>(DefaultWeightedEdge.class);
        if (!checkInput()) {
            return false;
        }
        for (Spot s : spots.iterable(true)) {
            graph.addVertex(s);
        }
        if (graph.vertexSet().isEmpty()) {
            return true;
        }
        double threshold = (Double) settings.get(PrdimpKeys.LINK_THRESHOLD);
        int maxGap = (Integer) settings.get(PrdimpKeys.MAX_FRAME_GAP);
        double dx = imp.getCalibration().pixelWidth > 0 ? imp.getCalibration().pixelWidth : 1;
        double dy = imp.getCalibration().pixelHeight > 0 ? imp.getCalibration().pixelHeight : 1;
        List<Track> live = new ArrayList<>();
        try (ImagePlusFrameSource source = new ImagePlusFrameSource(imp, (Integer) settings.get(PrdimpKeys.TARGET_CHANNEL), TrackingAxis.TIME);
             SharedEngines.Lease lease = EngineSettings.open(settings, m -> logger.log("PrDiMP linker: note: " + m + "\n"))) {
            TrackingEngine engine = lease.engine();
            logger.log("PrDiMP linker: " + EngineSettings.notes(settings, engine) + "\n");
            NormalizedFrames frames = new NormalizedFrames(source);
            int first = firstFrameWithSpots();
            int last = Math.min(spots.keySet().last(), frames.frameCount() - 1);
            if (spots.keySet().last() >= frames.frameCount()) {
                logger.log("PrDiMP linker: spots beyond frame " + frames.frameCount() + " of the image are not linked\n");
            }
            for (int f = first; f <= last; f++) {
                if (isCanceled()) {
                    logger.log("PrDiMP linker: cancelled at frame " + f + "; the links made so far are kept\n");
                    break;
                }
                logger.setProgress((f - first + 1.0) / (last - first + 1.0));
                Frame frame;
                try {
                    frame = frames.frame(f);
                } catch (InputException e) {
                    fail("frame " + f + ": " + e.getMessage());
                    break;
                }
                try {
                    linkFrame(engine, frame, f, live, threshold, maxGap, dx, dy);
                } catch (RuntimeException e) {
                    fail("frame " + f + ": the engine failed (" + e + "); the links before it are kept");
                    break;
                }
            }
            return true;
        } catch (InputException | ModelException e) {
            errorMessage = "PrDiMP linker: " + e.getMessage();
            return false;
        } finally {
            for (Track t : live) {
                t.tracker.close();
            }
        }
    }

    private void fail(String message) {
        errorMessage = "PrDiMP linker: " + message;
        logger.error(errorMessage + "\n");
    }

    private int firstFrameWithSpots() {
        for (int f : spots.keySet()) {
            if (spots.iterable(f, true).iterator().hasNext()) {
                return f;
            }
        }
        return spots.keySet().first();
    }

    private void linkFrame(TrackingEngine engine, Frame frame, int f, List<Track> live, double threshold, int maxGap,
                           double dx, double dy) {
        List<Spot> here = new ArrayList<>();
        spots.iterable(f, true).forEach(here::add);
        double[] xs = new double[here.size()];
        double[] ys = new double[here.size()];
        double[] rs = new double[here.size()];
        for (int k = 0; k < here.size(); k++) {
            Spot s = here.get(k);
            xs[k] = SpotFeatures.toPixel(s.getDoublePosition(0), dx);
            ys[k] = SpotFeatures.toPixel(s.getDoublePosition(1), dy);
            rs[k] = radiusPixels(s, dx);
        }
        List<Candidate> candidates = new ArrayList<>();
        for (Track t : live) {
            if (t.tracker.track(frame, f).get(0).peakState == TrackState.NOT_FOUND) {
                continue; // a flat map: the model has lost its object this frame, nothing to link
            }
            ProbabilityMap map = t.tracker.lastProbabilityMaps().get(0);
            double[] p = map.probabilitiesAt(xs, ys, rs);
            for (int k = 0; k < here.size(); k++) {
                if (p[k] >= threshold && p[k] > 0) {
                    candidates.add(new Candidate(t, here.get(k), p[k], xs[k], ys[k]));
                }
            }
        }
        candidates.sort(Comparator.comparingDouble((Candidate c) -> c.probability).reversed());
        Set<Track> linkedTracks = new HashSet<>();
        Set<Spot> linkedSpots = new HashSet<>();
        for (Candidate c : candidates) {
            if (linkedTracks.contains(c.track) || linkedSpots.contains(c.spot)) {
                continue;
            }
            DefaultWeightedEdge edge = graph.addEdge(c.track.last, c.spot);
            if (edge == null) {
                continue;
            }
            graph.setEdgeWeight(edge, 1 - c.probability);
            LinkProbabilities.put(edge, c.probability);
            c.track.tracker.moveTarget(0, c.x, c.y);
            c.track.last = c.spot;
            c.track.missed = 0;
            linkedTracks.add(c.track);
            linkedSpots.add(c.spot);
        }
        for (Iterator<Track> it = live.iterator(); it.hasNext();) {
            Track t = it.next();
            if (!linkedTracks.contains(t) && ++t.missed > maxGap) {
                t.tracker.close();
                it.remove();
            }
        }
        List<Spot> starts = new ArrayList<>();
        List<Box> boxes = new ArrayList<>();
        for (Spot s : here) {
            if (!linkedSpots.contains(s)) {
                double r = radiusPixels(s, dx);
                starts.add(s);
                boxes.add(Box.centred(SpotFeatures.toPixel(s.getDoublePosition(0), dx),
                        SpotFeatures.toPixel(s.getDoublePosition(1), dy), 2 * r, 2 * r));
            }
        }
        for (int i = 0; i < starts.size(); i++) {
            MultiTargetTracker tracker = engine.newTracker(TrackingRun.SEED);
            tracker.addTargets(frame, f, List.of(boxes.get(i)));
            live.add(new Track(tracker, starts.get(i)));
        }
    }

    /** The spot's radius in pixels (at least 2, so that a tiny spot still gets a box to track). */
    private static double radiusPixels(Spot s, double dx) {
        Double r = s.getFeature(Spot.RADIUS);
        return Math.max(2, (r == null ? 0 : r) / dx);
    }

    @Override
    public SimpleWeightedGraph<Spot, DefaultWeightedEdge> getResult() {
        return graph;
    }

    @Override
    public String getErrorMessage() {
        return errorMessage;
    }

    @Override
    public void setLogger(Logger logger) {
        this.logger = logger == null ? Logger.VOID_LOGGER : logger;
    }

    @Override
    public void setNumThreads() {
        threads = Runtime.getRuntime().availableProcessors();
    }

    @Override
    public void setNumThreads(int numThreads) {
        threads = numThreads;
    }

    @Override
    public int getNumThreads() {
        return threads;
    }

    @Override
    public boolean isCanceled() {
        return cancelReason != null;
    }

    @Override
    public void cancel(String reason) {
        cancelReason = reason == null ? "cancelled" : reason;
    }

    @Override
    public String getCancelReason() {
        return cancelReason;
    }
}
