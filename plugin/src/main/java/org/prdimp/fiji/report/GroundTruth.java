package org.prdimp.fiji.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.prdimp.fiji.engine.Box;

/**
 * Ground-truth boxes per track and frame, read from CSV with the header
 * {@code track_id,frame,x,y,w,h[,...]} (the project's synthetic sequences, the shared CTC box table).
 */
public final class GroundTruth {
    private final Map<Integer, Map<Integer, Box>> tracks = new TreeMap<>();

    /** Reads the CSV; extra columns are ignored. */
    public static GroundTruth read(BufferedReader in) throws IOException {
        GroundTruth gt = new GroundTruth();
        String header = in.readLine();
        if (header == null || !header.startsWith("track_id,frame,x,y,w,h")) {
            throw new IOException("ground truth must start with the header track_id,frame,x,y,w,h, not '" + header + "'");
        }
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            gt.tracks.computeIfAbsent(Integer.parseInt(f[0].trim()), k -> new TreeMap<>()).put(Integer.parseInt(f[1].trim()),
                    new Box(Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5])));
        }
        return gt;
    }

    public List<Integer> trackIds() {
        return new ArrayList<>(tracks.keySet());
    }

    /** The frames in which a track has a box, in order (empty for an unknown track). */
    public java.util.Set<Integer> frames(int track) {
        Map<Integer, Box> t = tracks.get(track);
        return t == null ? java.util.Set.of() : java.util.Collections.unmodifiableSet(t.keySet());
    }

    /** The box of a track in a frame, or null. */
    public Box box(int track, int frame) {
        Map<Integer, Box> t = tracks.get(track);
        return t == null ? null : t.get(frame);
    }

    /** Boxes of the given tracks in a frame (tracks absent from it are skipped). */
    public List<Box> boxes(List<Integer> ids, int frame) {
        List<Box> out = new ArrayList<>();
        for (int id : ids) {
            Box b = box(id, frame);
            if (b != null) {
                out.add(b);
            }
        }
        return out;
    }
}
