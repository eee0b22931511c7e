package fiji.plugin.trackmate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;

import net.imglib2.algorithm.MultiThreaded;

/**
 * Stand-in for TrackMate 8.0.0's {@code SpotCollection}: spots by frame (a set per frame), with a
 * {@code VISIBILITY} feature per spot. Same semantics as TrackMate for what this module relies
 * on (see the shim's README): {@link #add} marks the spot visible, {@link #put} marks the spots
 * invisible (spot filtering decides later), {@link #iterable(int, boolean)} with
 * {@code visibleSpotsOnly = false} returns null for a frame without spots, the visible-only
 * iterators read {@code VISIBILITY} of every spot, and the class is not {@link Iterable}.
 */
public class SpotCollection implements MultiThreaded {
    public static final Double ZERO = Double.valueOf(0d);
    public static final Double ONE = Double.valueOf(1d);
    public static final String VISIBILITY = "VISIBILITY";

    private ConcurrentSkipListMap<Integer, Set<Spot>> content = new ConcurrentSkipListMap<>();
    private int numThreads;

    public SpotCollection() {
        setNumThreads();
    }

    public Spot search(final int ID) {
        for (Spot spot : iterable(false)) {
            if (spot.ID() == ID) {
                return spot;
            }
        }
        return null;
    }

    /** Adds the spot to the frame; the spot gets the frame and becomes visible. */
    public void add(final Spot spot, final Integer frame) {
        content.computeIfAbsent(frame, f -> new HashSet<>()).add(spot);
        spot.putFeature(Spot.FRAME, Double.valueOf(frame));
        spot.putFeature(VISIBILITY, ONE);
    }

    public boolean remove(final Spot spot, final Integer frame) {
        Set<Spot> spots = content.get(frame);
        return spots != null && spots.remove(spot);
    }

    public void setVisible(final boolean visible) {
        Double val = visible ? ONE : ZERO;
        for (Set<Spot> spots : content.values()) {
            for (Spot spot : spots) {
                spot.putFeature(VISIBILITY, val);
            }
        }
    }

    public final int getNSpots(final boolean visibleSpotsOnly) {
        int n = 0;
        for (Integer frame : content.keySet()) {
            n += getNSpots(frame, visibleSpotsOnly);
        }
        return n;
    }

    public int getNSpots(final int frame, final boolean visibleSpotsOnly) {
        Set<Spot> spots = content.get(frame);
        if (spots == null) {
            return 0;
        }
        if (!visibleSpotsOnly) {
            return spots.size();
        }
        int n = 0;
        for (Spot s : spots) {
            if (isVisible(s)) {
                n++;
            }
        }
        return n;
    }

    public Iterator<Spot> iterator(final boolean visibleSpotsOnly) {
        List<Spot> out = new ArrayList<>();
        for (Integer frame : content.keySet()) {
            iterator(frame, visibleSpotsOnly).forEachRemaining(out::add);
        }
        return Collections.unmodifiableList(out).iterator();
    }

    public Iterator<Spot> iterator(final Integer frame, final boolean visibleSpotsOnly) {
        Set<Spot> frameContent = content.get(frame);
        if (frameContent == null) {
            return Collections.emptyIterator();
        }
        if (!visibleSpotsOnly) {
            return frameContent.iterator();
        }
        List<Spot> out = new ArrayList<>();
        for (Spot s : frameContent) {
            if (isVisible(s)) {
                out.add(s);
            }
        }
        return Collections.unmodifiableList(out).iterator();
    }

    public Iterable<Spot> iterable(final boolean visibleSpotsOnly) {
        return () -> iterator(visibleSpotsOnly);
    }

    /** The frame's spots; with {@code visibleSpotsOnly = false}, null when the frame has none (as TrackMate). */
    public Iterable<Spot> iterable(final int frame, final boolean visibleSpotsOnly) {
        if (visibleSpotsOnly) {
            return () -> iterator(frame, true);
        }
        return content.get(frame);
    }

    /** Replaces the frame's spots; they get the frame and become invisible (as TrackMate). */
    public void put(final int frame, final Collection<Spot> spots) {
        Set<Spot> value = new HashSet<>(spots);
        for (Spot spot : value) {
            spot.putFeature(Spot.FRAME, Double.valueOf(frame));
            spot.putFeature(VISIBILITY, ZERO);
        }
        content.put(frame, value);
    }

    public Integer firstKey() {
        return content.isEmpty() ? 0 : content.firstKey();
    }

    public Integer lastKey() {
        return content.isEmpty() ? 0 : content.lastKey();
    }

    public NavigableSet<Integer> keySet() {
        return content.keySet();
    }

    public void clear() {
        content.clear();
    }

    /** Removes the invisible spots. */
    public void crop() {
        for (Set<Spot> spots : content.values()) {
            spots.removeIf(s -> !isVisible(s));
        }
    }

    @Override
    public void setNumThreads() {
        numThreads = Runtime.getRuntime().availableProcessors();
    }

    @Override
    public void setNumThreads(final int numThreads) {
        this.numThreads = numThreads;
    }

    @Override
    public int getNumThreads() {
        return numThreads;
    }

    /** Spots by frame, kept as they are ({@code FRAME} and {@code VISIBILITY} untouched). */
    public static SpotCollection fromMap(final Map<Integer, Set<Spot>> source) {
        SpotCollection sc = new SpotCollection();
        sc.content = new ConcurrentSkipListMap<>(source);
        return sc;
    }

    /** Spots filed by their {@code FRAME} feature ({@code VISIBILITY} untouched). */
    public static SpotCollection fromCollection(final Iterable<Spot> spots) {
        SpotCollection sc = new SpotCollection();
        for (Spot spot : spots) {
            sc.content.computeIfAbsent(spot.getFeature(Spot.FRAME).intValue(), f -> new HashSet<>()).add(spot);
        }
        return sc;
    }

    /** As TrackMate: a spot without VISIBILITY throws a NullPointerException here. */
    private static boolean isVisible(final Spot spot) {
        return spot.getFeature(VISIBILITY).compareTo(ZERO) > 0;
    }
}
