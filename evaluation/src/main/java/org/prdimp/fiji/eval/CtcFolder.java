package org.prdimp.fiji.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.io.FrameSource;
import org.prdimp.fiji.io.InputException;
import org.prdimp.fiji.report.GroundTruth;

/**
 * Cell Tracking Challenge folders: a dataset folder holding {@code NN/} (frames {@code tTTT.tif}) and
 * {@code NN_GT/TRA/} (marker masks {@code man_trackTTT.tif}, 16-bit, pixel value = track label, and
 * {@code man_track.txt}, "label begin end parent"). Boxes come from the masks (x, y = smallest column and row
 * of the label, w, h = extent in pixels, inclusive), or from {@code tracks_bbox_from_TRA.csv}
 * ({@code track_id,frame,x,y,w,h,...}) when the folder has one and a single {@code NN}. Every contiguous run of
 * frames in which a track's label is present, of at least {@code minFrames} frames, is one sequence starting
 * at the run's first frame. Where {@code NN_GT/SEG/} holds a gold segmentation, each sequence also carries the
 * object's whole extent on the segmented frames ({@link #extentsFromSegmentation}).
 */
public final class CtcFolder {
    public static final String BOX_TABLE = "tracks_bbox_from_TRA.csv";
    private static final Pattern MASK = Pattern.compile("man_track(\\d+)\\.tif");
    private static final Pattern SEGMENTATION = Pattern.compile("man_seg(\\d+)\\.tif");

    private CtcFolder() {
    }

    static boolean matches(Path folder) throws SequenceException {
        return !groundTruthFolders(folder).isEmpty();
    }

    /** The {@code NN_GT} folders with {@code TRA/man_track.txt} and a frames folder {@code NN} beside them. */
    static List<Path> groundTruthFolders(Path folder) throws SequenceException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            s.filter(p -> p.getFileName().toString().endsWith("_GT") && Files.isRegularFile(p.resolve("TRA").resolve("man_track.txt"))
                    && Files.isDirectory(folder.resolve(p.getFileName().toString().replaceFirst("_GT$", ""))))
                    .sorted().forEach(out::add);
        } catch (IOException e) {
            throw new SequenceException("cannot list " + folder + ": " + e.getMessage() + "; check that it is a readable folder");
        }
        return out;
    }

    static List<Sequence> read(Path folder, String group, int minFrames) throws SequenceException {
        List<Path> gts = groundTruthFolders(folder);
        Path table = folder.resolve(BOX_TABLE);
        List<Sequence> out = new ArrayList<>();
        for (Path gt : gts) {
            String nn = gt.getFileName().toString().replaceFirst("_GT$", "");
            Path frames = folder.resolve(nn);
            int count = Inputs.frameCount(frames);
            Map<Integer, Map<Integer, Box>> tracks = gts.size() == 1 && Files.isRegularFile(table)
                    ? boxesFromTable(table) : boxesFromMasks(gt.resolve("TRA"));
            Map<Integer, Map<Integer, Box>> extents = extentsFromSegmentation(gt);
            for (Map.Entry<Integer, Map<Integer, Box>> track : tracks.entrySet()) {
                for (int[] run : runs(track.getValue().keySet(), minFrames)) {
                    if (run[1] >= count) {
                        throw new SequenceException(gt + ": track " + track.getKey() + " reaches frame " + run[1] + " but "
                                + frames + " has " + count + " frames; the ground truth does not belong to these frames");
                    }
                    Box[] truth = new Box[run[1] - run[0] + 1];
                    Map<Integer, Box> whole = extents.get(track.getKey());
                    Box[] extent = whole == null ? null : new Box[truth.length];
                    for (int f = run[0]; f <= run[1]; f++) {
                        truth[f - run[0]] = track.getValue().get(f);
                        if (extent != null) {
                            extent[f - run[0]] = whole.get(f);
                        }
                    }
                    String name = folder.getFileName() + "/" + nn + "/track" + track.getKey() + (run[0] == 0 ? "" : "@" + run[0]);
                    out.add(new Sequence(name, group, frames, run[0], truth, extent));
                }
            }
        }
        return out;
    }

    /** Contiguous runs [first, last] of the given frames with at least {@code minFrames} frames. */
    static List<int[]> runs(Iterable<Integer> sortedFrames, int minFrames) {
        List<int[]> out = new ArrayList<>();
        int start = -1;
        int prev = -2;
        for (int f : sortedFrames) {
            if (f != prev + 1) {
                if (start >= 0 && prev - start + 1 >= minFrames) {
                    out.add(new int[] {start, prev});
                }
                start = f;
            }
            prev = f;
        }
        if (start >= 0 && prev - start + 1 >= minFrames) {
            out.add(new int[] {start, prev});
        }
        return out;
    }

    /** Boxes per track and frame from {@code track_id,frame,x,y,w,h,...} (read by the plugin's {@link GroundTruth}). */
    static Map<Integer, Map<Integer, Box>> boxesFromTable(Path table) throws SequenceException {
        GroundTruth gt;
        try (BufferedReader in = Files.newBufferedReader(table, StandardCharsets.UTF_8)) {
            gt = GroundTruth.read(in);
        } catch (IOException | RuntimeException e) {
            throw new SequenceException("cannot read " + table + ": " + e.getMessage() + "; it must be CSV with the header"
                    + " track_id,frame,x,y,w,h and one row per track and frame");
        }
        Map<Integer, Map<Integer, Box>> tracks = new TreeMap<>();
        for (int id : gt.trackIds()) {
            Map<Integer, Box> boxes = new TreeMap<>();
            for (int f : gt.frames(id)) {
                boxes.put(f, gt.box(id, f));
            }
            tracks.put(id, boxes);
        }
        return tracks;
    }

    /** Boxes per track (label of man_track.txt) and frame from the TRA marker masks. */
    public static Map<Integer, Map<Integer, Box>> boxesFromMasks(Path tra) throws SequenceException {
        List<Integer> labels = new ArrayList<>();
        Path list = tra.resolve("man_track.txt");
        try {
            for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    labels.add(Integer.parseInt(line.trim().split("\\s+")[0]));
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new SequenceException("cannot read " + list + " (lines 'label begin end parent'): " + e.getMessage());
        }
        Map<Integer, Map<Integer, Box>> tracks = new TreeMap<>();
        for (int label : labels) {
            tracks.put(label, new TreeMap<>());
        }
        Map<Integer, Path> masks = numbered(tra, MASK);
        if (masks.isEmpty()) {
            throw new SequenceException(tra + " holds no marker masks man_trackTTT.tif; a CTC TRA folder needs them");
        }
        for (Map.Entry<Integer, Path> mask : masks.entrySet()) {
            for (Map.Entry<Integer, Box> e : LabelImage.read(mask.getValue()).boxes().entrySet()) {
                Map<Integer, Box> track = tracks.get(e.getKey());
                if (track == null) {
                    throw new SequenceException(mask.getValue() + " holds label " + e.getKey() + ", which man_track.txt does not list");
                }
                track.put(mask.getKey(), e.getValue());
            }
        }
        tracks.values().removeIf(Map::isEmpty);
        return tracks;
    }

    /**
     * Boxes of each track's whole object where the ground truth {@code gt} ({@code NN_GT}) has a gold segmentation,
     * {@code SEG/man_segTTT.tif}, whose labels are not linked to tracks: in each segmented frame, a TRA marker's
     * object is the segmented one holding at least half of the marker's pixels, unless another marker's object is
     * the same one (then neither gets a box). CTC markers are marks, not outlines: in Fluo-N2DH-GOWT1 they cover
     * about half of the nucleus's box. Keys: TRA labels, then frames; empty where there is no SEG folder.
     */
    public static Map<Integer, Map<Integer, Box>> extentsFromSegmentation(Path gt) throws SequenceException {
        Map<Integer, Map<Integer, Box>> out = new TreeMap<>();
        Path seg = gt.resolve("SEG");
        if (!Files.isDirectory(seg)) {
            return out;
        }
        Map<Integer, Path> markers = numbered(gt.resolve("TRA"), MASK);
        for (Map.Entry<Integer, Path> e : numbered(seg, SEGMENTATION).entrySet()) {
            Path tra = markers.get(e.getKey());
            if (tra == null) {
                continue;
            }
            LabelImage objects = LabelImage.read(e.getValue());
            LabelImage marks = LabelImage.read(tra);
            if (objects.pixels.length != marks.pixels.length) {
                throw new SequenceException(e.getValue() + " and " + tra + " differ in size; a segmentation must match its"
                        + " frame's markers");
            }
            Map<Integer, Integer> objectOf = markedObjects(marks.pixels, objects.pixels);
            Map<Integer, Box> boxes = objects.boxes();
            objectOf.forEach((marker, object) -> out.computeIfAbsent(marker, k -> new TreeMap<>()).put(e.getKey(), boxes.get(object)));
        }
        return out;
    }

    /** Marker label -> the object label holding at least half of its pixels, for objects that one marker alone claims. */
    private static Map<Integer, Integer> markedObjects(int[] marks, int[] objects) {
        Map<Integer, Map<Integer, Integer>> under = new TreeMap<>(); // marker -> object -> pixels
        Map<Integer, Integer> size = new TreeMap<>();
        for (int i = 0; i < marks.length; i++) {
            if (marks[i] != 0) {
                size.merge(marks[i], 1, Integer::sum);
                if (objects[i] != 0) {
                    under.computeIfAbsent(marks[i], k -> new TreeMap<>()).merge(objects[i], 1, Integer::sum);
                }
            }
        }
        Map<Integer, Integer> objectOf = new TreeMap<>();
        Map<Integer, Integer> claims = new TreeMap<>();
        under.forEach((marker, counts) -> counts.forEach((object, pixels) -> {
            if (2 * pixels >= size.get(marker)) {
                objectOf.put(marker, object);
                claims.merge(object, 1, Integer::sum);
            }
        }));
        objectOf.values().removeIf(object -> claims.get(object) > 1);
        return objectOf;
    }

    /** Files of {@code dir} whose names match {@code pattern} (group 1: the frame number), by frame. */
    private static Map<Integer, Path> numbered(Path dir, Pattern pattern) throws SequenceException {
        Map<Integer, Path> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> {
                Matcher m = pattern.matcher(p.getFileName().toString());
                if (m.matches()) {
                    out.put(Integer.parseInt(m.group(1)), p);
                }
            });
        } catch (IOException e) {
            throw new SequenceException("cannot list " + dir + ": " + e.getMessage());
        }
        return out;
    }

    /** A label image (16-bit CTC mask): pixel values row by row, 0 = background. */
    private static final class LabelImage {
        final int[] pixels;
        final int width;

        private LabelImage(int[] pixels, int width) {
            this.pixels = pixels;
            this.width = width;
        }

        static LabelImage read(Path mask) throws SequenceException {
            try (FrameSource s = Inputs.open(mask)) {
                float[] v = s.readRaw(0)[0];
                int[] out = new int[v.length];
                for (int i = 0; i < v.length; i++) {
                    out[i] = Math.round(v[i]);
                }
                return new LabelImage(out, s.width());
            } catch (InputException e) {
                throw new SequenceException(e.getMessage());
            }
        }

        /** The box of each non-zero label (x, y = smallest column and row, w, h = inclusive extent). */
        Map<Integer, Box> boxes() {
            Map<Integer, int[]> extent = new TreeMap<>(); // label -> minX, minY, maxX, maxY
            for (int i = 0; i < pixels.length; i++) {
                int label = pixels[i];
                if (label == 0) {
                    continue;
                }
                int x = i % width;
                int y = i / width;
                int[] e = extent.computeIfAbsent(label, k -> new int[] {x, y, x, y});
                e[0] = Math.min(e[0], x);
                e[1] = Math.min(e[1], y);
                e[2] = Math.max(e[2], x);
                e[3] = Math.max(e[3], y);
            }
            Map<Integer, Box> out = new TreeMap<>();
            extent.forEach((label, b) -> out.put(label, new Box(b[0], b[1], b[2] - b[0] + 1, b[3] - b[1] + 1)));
            return out;
        }
    }
}
