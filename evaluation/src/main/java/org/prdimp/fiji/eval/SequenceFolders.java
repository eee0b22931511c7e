package org.prdimp.fiji.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads the sequences of a folder, whatever its layout: a Cell Tracking Challenge dataset folder, one
 * OTB / LaSOT / GOT-10k sequence folder, or a folder of such folders (searched two levels deep, e.g. a
 * GOT-10k split or a LaSOT category). The group of a sequence is the one given, else the Cell Tracking
 * Challenge folder's name for its tracks and the given folder's name for the other layouts.
 */
public final class SequenceFolders {
    /** A CTC track is a sequence when it is present in at least this many consecutive frames. */
    public static final int MIN_TRACK_FRAMES = 40;

    private SequenceFolders() {
    }

    public static List<Sequence> read(Path folder, int minTrackFrames) throws SequenceException {
        return read(folder, null, minTrackFrames);
    }

    /** @param group the group of every sequence found, or null for the default (see the class comment) */
    public static List<Sequence> read(Path folder, String group, int minTrackFrames) throws SequenceException {
        if (!Files.isDirectory(folder)) {
            throw new SequenceException(folder + " is not a folder; give a sequence folder (OTB, LaSOT, GOT-10k, Cell"
                    + " Tracking Challenge) or a folder of them");
        }
        Path named = folder.toAbsolutePath().normalize();
        String name = named.getFileName() == null ? "sequences" : named.getFileName().toString();
        List<Sequence> out = new ArrayList<>();
        collect(folder, group == null ? name : group, group != null, minTrackFrames, 2, out);
        if (out.isEmpty()) {
            throw new SequenceException(folder + " holds no sequence: expected groundtruth_rect.txt (OTB), groundtruth.txt"
                    + " (GOT-10k, LaSOT) or NN/ with NN_GT/TRA/man_track.txt (Cell Tracking Challenge, tracks of at least "
                    + minTrackFrames + " frames), in it or in its subfolders");
        }
        return out;
    }

    private static void collect(Path folder, String group, boolean given, int minTrackFrames, int depth, List<Sequence> out)
            throws SequenceException {
        if (CtcFolder.matches(folder)) {
            out.addAll(CtcFolder.read(folder, given ? group : folder.getFileName().toString(), minTrackFrames));
        } else if (BoxFolder.matches(folder)) {
            out.add(BoxFolder.read(folder, group));
        } else if (depth > 0) {
            for (Path sub : subfolders(folder)) {
                collect(sub, group, given, minTrackFrames, depth - 1, out);
            }
        }
    }

    private static List<Path> subfolders(Path folder) throws SequenceException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(Files::isDirectory).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new SequenceException("cannot list " + folder + ": " + e.getMessage());
        }
    }
}
