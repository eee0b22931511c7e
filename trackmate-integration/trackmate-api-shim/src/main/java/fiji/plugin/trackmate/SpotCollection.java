package fiji.plugin.trackmate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Shim of TrackMate 8.0.0 {@code SpotCollection}: spots by frame, with a visibility flag per spot. */
public class SpotCollection implements Iterable<Spot> {
    public static final String VISIBILITY = "VISIBILITY";

    private final ConcurrentSkipListMap<Integer, List<Spot>> content = new ConcurrentSkipListMap<>();

    public SpotCollection() {
    }

    /** Adds a spot to a frame; it becomes visible and gets the frame feature. */
    public void add(Spot spot, Integer frame) {
        content.computeIfAbsent(frame, f -> new CopyOnWriteArrayList<>()).add(spot);
        spot.putFeature(Spot.FRAME, frame.doubleValue());
        spot.putFeature(VISIBILITY, 1d);
    }

    public boolean remove(Spot spot, Integer frame) {
        List<Spot> spots = content.get(frame);
        return spots != null && spots.remove(spot);
    }

    public void put(int frame, Collection<Spot> spots) {
        List<Spot> list = new CopyOnWriteArrayList<>();
        content.put(frame, list);
        for (Spot s : spots) {
            add(s, frame);
        }
    }

    public NavigableSet<Integer> keySet() {
        return content.navigableKeySet();
    }

    public Iterable<Spot> iterable(int frame, boolean visibleSpotsOnly) {
        return () -> iterator(frame, visibleSpotsOnly);
    }

    public Iterable<Spot> iterable(boolean visibleSpotsOnly) {
        return () -> iterator(visibleSpotsOnly);
    }

    public Iterator<Spot> iterator(Integer frame, boolean visibleSpotsOnly) {
        List<Spot> out = new ArrayList<>();
        for (Spot s : content.getOrDefault(frame, List.of())) {
            if (!visibleSpotsOnly || isVisible(s)) {
                out.add(s);
            }
        }
        return out.iterator();
    }

    public Iterator<Spot> iterator(boolean visibleSpotsOnly) {
        List<Spot> out = new ArrayList<>();
        for (Integer frame : content.keySet()) {
            iterator(frame, visibleSpotsOnly).forEachRemaining(out::add);
        }
        return out.iterator();
    }

    @Override
    public Iterator<Spot> iterator() {
        return iterator(false);
    }

    public int getNSpots(boolean visibleSpotsOnly) {
        int n = 0;
        for (Integer frame : content.keySet()) {
            n += getNSpots(frame, visibleSpotsOnly);
        }
        return n;
    }

    public int getNSpots(int frame, boolean visibleSpotsOnly) {
        int n = 0;
        for (Iterator<Spot> it = iterator(frame, visibleSpotsOnly); it.hasNext(); it.next()) {
            n++;
        }
        return n;
    }

    public void setVisible(boolean visible) {
        for (Spot s : this) {
            s.putFeature(VISIBILITY, visible ? 1d : 0d);
        }
    }

    public static SpotCollection fromMap(Map<Integer, ? extends Collection<Spot>> source) {
        SpotCollection sc = new SpotCollection();
        source.forEach(sc::put);
        return sc;
    }

    private static boolean isVisible(Spot s) {
        Double v = s.getFeature(VISIBILITY);
        return v != null && v > 0;
    }
}
