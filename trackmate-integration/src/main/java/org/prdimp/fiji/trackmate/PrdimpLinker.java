package org.prdimp.fiji.trackmate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
import org.prdimp.fiji.engine.TargetResult;
import org.prdimp.fiji.engine.TrackState;
import org.prdimp.fiji.engine.TrackingEngine;
import org.prdimp.fiji.io.ImagePlusFrameSource;
import org.prdimp.fiji.io.InputException;
import org.prdimp.fiji.io.NormalizedFrames;
import org.prdimp.fiji.io.TrackingAxis;
import org.prdimp.fiji.run.TrackingRun;

import fiji.plugin.trackmate.Spot;
import fiji.plugin.trackmate.SpotCollection;
import fiji.plugin.trackmate.tracking.SpotTracker;
import ij.ImagePlus;

/**
 * Links spots with PrDiMP's appearance model. Every track keeps its own PrDiMP target model (a
 * target started on the track's first spot, box = the spot's diameter), all tracks in one batched
 * tracker (one network call per frame; a track's target draws its random augmentations as if it were
 * alone, and leaves the batch when the track ends). In each frame every live track predicts its
 * target's probability map; the probability of a spot is the
 * map's mass within the spot's radius, each cell counted for the nearest spot only
 * ({@link ProbabilityMap#probabilitiesAt}). Links are made greedily, most probable first, one spot per
 * track and one track per spot, when the probability reaches the threshold and the map has a
 * peak at all (not {@code not_found}); the target is then
 * re-centred on the spot. A track with no link carries on with its own prediction for up to
 * {@code MAX_FRAME_GAP} frames (gap closing) before it ends. Spots left over start new tracks.
 * Edge weight = 1 - probability (a cost); the probability itself is kept per edge
 * ({@link LinkProbabilities}).
 */
final class PrdimpLinker extends AlgorithmBase implements SpotTracker {
    private final SpotCollection spots;
    private final Map<String, Object> settings;
    private final ImagePlus imp;
    private final String settingsProblem;
    private SimpleWeightedGraph<Spot, DefaultWeightedEdge> graph;
    private int threads = 1;

    /** A track being built: its target in the shared tracker and its last spot. */
    private static final class Track {
        final int target;
        Spot last;

        Track(int target, Spot first) {
            this.target = target;
            this.last = first;
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
        GreedyLinking<Track, Spot> linking = new GreedyLinking<>(maxGap);
        MultiTargetTracker tracker = null;
        try (ImagePlusFrameSource source = new ImagePlusFrameSource(imp, (Integer) settings.get(PrdimpKeys.TARGET_CHANNEL), TrackingAxis.TIME);
             SharedEngines.Lease lease = EngineSettings.open(settings, m -> logger.log("PrDiMP linker: note: " + m + "\n"))) {
            TrackingEngine engine = lease.engine();
            logger.log("PrDiMP linker: " + EngineSettings.notes(settings, engine) + "\n");
            NormalizedFrames frames = new NormalizedFrames(source);
            tracker = engine.newTracker(TrackingRun.SEED, true); // one batch for all tracks; each track as if alone
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
                    linkFrame(tracker, linking, frame, f, live, threshold, dx, dy);
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
            if (tracker != null) {
                tracker.close();
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

    private void linkFrame(MultiTargetTracker tracker, GreedyLinking<Track, Spot> linking, Frame frame, int f, List<Track> live,
                           double threshold, double dx, double dy) {
        List<Spot> here = new ArrayList<>();
        spots.iterable(f, true).forEach(here::add);
        double[] xs = new double[here.size()];
        double[] ys = new double[here.size()];
        double[] rs = new double[here.size()];
        Map<Spot, Integer> index = new HashMap<>();
        for (int k = 0; k < here.size(); k++) {
            Spot s = here.get(k);
            xs[k] = SpotFeatures.toPixel(s.getDoublePosition(0), dx);
            ys[k] = SpotFeatures.toPixel(s.getDoublePosition(1), dy);
            rs[k] = radiusPixels(s, dx);
            index.put(s, k);
        }
        List<GreedyLinking.Candidate<Track, Spot>> candidates = new ArrayList<>();
        if (!live.isEmpty()) {
            List<TargetResult> results = tracker.track(frame, f); // every live track in one batch, in live order
            List<ProbabilityMap> maps = tracker.lastProbabilityMaps();
            for (int i = 0; i < live.size(); i++) {
                if (results.get(i).peakState == TrackState.NOT_FOUND) {
                    continue; // a flat map: the model has lost its object this frame, nothing to link
                }
                double[] p = maps.get(i).probabilitiesAt(xs, ys, rs);
                for (int k = 0; k < here.size(); k++) {
                    if (p[k] >= threshold && p[k] > 0) {
                        candidates.add(new GreedyLinking.Candidate<>(live.get(i), here.get(k), p[k]));
                    }
                }
            }
        }
        Set<Track> linkedTracks = new HashSet<>();
        Set<Spot> linkedSpots = new HashSet<>();
        for (GreedyLinking.Candidate<Track, Spot> c : GreedyLinking.assign(candidates, c -> {
            DefaultWeightedEdge edge = graph.addEdge(c.track.last, c.detection);
            if (edge == null) {
                return false;
            }
            graph.setEdgeWeight(edge, 1 - c.probability);
            LinkProbabilities.put(edge, c.probability);
            return true;
        })) {
            int k = index.get(c.detection);
            tracker.moveTarget(c.track.target, xs[k], ys[k]);
            c.track.last = c.detection;
            linking.linked(c.track);
            linkedTracks.add(c.track);
            linkedSpots.add(c.detection);
        }
        for (Track t : linking.endFrame(live, linkedTracks)) {
            tracker.removeTarget(t.target);
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
        List<TargetResult> added = tracker.addTargets(frame, f, boxes);
        for (int i = 0; i < starts.size(); i++) {
            Track t = new Track(added.get(i).target, starts.get(i));
            linking.started(t);
            live.add(t);
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
}
