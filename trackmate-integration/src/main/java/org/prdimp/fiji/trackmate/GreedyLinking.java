package org.prdimp.fiji.trackmate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Frame-to-frame linking by greedy assignment with gap closing, without TrackMate types: each frame,
 * the candidate links (a track, a detection, the probability that the track's target is there) are
 * taken most probable first, one detection per track and one track per detection (ties in the order
 * the candidates were offered); a track that got no link carries on unlinked for up to
 * {@code maxGap} frames before it ends.
 *
 * @param <T> a track
 * @param <D> a detection
 */
final class GreedyLinking<T, D> {
    /** A possible link. */
    static final class Candidate<T, D> {
        final T track;
        final D detection;
        final double probability;

        Candidate(T track, D detection, double probability) {
            this.track = track;
            this.detection = detection;
            this.probability = probability;
        }

        @Override
        public String toString() {
            return track + "->" + detection + " " + probability;
        }
    }

    private final int maxGap;
    private final Map<T, Integer> missed = new HashMap<>();

    /** @param maxGap frames a track may go unlinked and still be linked again (0: it ends at its first miss) */
    GreedyLinking(int maxGap) {
        this.maxGap = maxGap;
    }

    /**
     * The links to make this frame: the candidates that are, most probable first, the best left for
     * both their track and their detection. {@code make} is asked for each in that order and may refuse
     * one (the track and the detection then stay free for the next candidates).
     */
    static <T, D> List<Candidate<T, D>> assign(List<Candidate<T, D>> candidates, Predicate<Candidate<T, D>> make) {
        List<Candidate<T, D>> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparingDouble((Candidate<T, D> c) -> c.probability).reversed()); // stable: ties keep their order
        Set<T> tracks = new HashSet<>();
        Set<D> detections = new HashSet<>();
        List<Candidate<T, D>> chosen = new ArrayList<>();
        for (Candidate<T, D> c : sorted) {
            if (tracks.contains(c.track) || detections.contains(c.detection) || !make.test(c)) {
                continue;
            }
            tracks.add(c.track);
            detections.add(c.detection);
            chosen.add(c);
        }
        return chosen;
    }

    /** Starts counting the frames a new track goes unlinked. */
    void started(T track) {
        missed.put(track, 0);
    }

    /** A link was made for the track: its gap starts anew. */
    void linked(T track) {
        missed.put(track, 0);
    }

    /**
     * The end of a frame: every live track not in {@code linked} missed it; those that missed more than
     * {@code maxGap} frames in a row end. Removes them from {@code live} and returns them.
     */
    List<T> endFrame(List<T> live, Set<T> linked) {
        List<T> ended = new ArrayList<>();
        for (Iterator<T> it = live.iterator(); it.hasNext();) {
            T t = it.next();
            if (linked.contains(t)) {
                continue;
            }
            int m = missed.merge(t, 1, Integer::sum);
            if (m > maxGap) {
                it.remove();
                missed.remove(t);
                ended.add(t);
            }
        }
        return ended;
    }
}
