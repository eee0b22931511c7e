package org.prdimp.fiji.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.report.BoxScore;

/**
 * Single-sequence folders of the natural-video benchmarks, one box per frame in a text file:
 * <ul>
 * <li>OTB: {@code groundtruth_rect.txt} (comma, tab or space), frames in {@code img/} (also {@code imgs/}) or
 * the folder itself;</li>
 * <li>LaSOT: {@code groundtruth.txt} and frames in {@code img/}; {@code full_occlusion.txt} and
 * {@code out_of_view.txt} mark frames without a visible target;</li>
 * <li>GOT-10k: {@code groundtruth.txt} and frames in the folder; {@code absence.label} marks frames without
 * the target.</li>
 * </ul>
 * Boxes are taken as written (x, y top-left, w, h); frames marked absent, and boxes of zero size or NaN, are
 * not scored. The box of the first frame starts every tracker.
 */
final class BoxFolder {
    private BoxFolder() {
    }

    /** Whether {@code folder} is one of these layouts. */
    static boolean matches(Path folder) {
        return Files.isRegularFile(folder.resolve("groundtruth_rect.txt")) || Files.isRegularFile(folder.resolve("groundtruth.txt"));
    }

    static Sequence read(Path folder, String group) throws SequenceException {
        String name = folder.getFileName().toString();
        Path otb = folder.resolve("groundtruth_rect.txt");
        if (Files.isRegularFile(otb)) {
            return sequence(name, group, frames(folder), BoxLines.read(otb), List.of());
        }
        Path gt = folder.resolve("groundtruth.txt");
        Path img = folder.resolve("img");
        if (Files.isDirectory(img)) { // LaSOT
            List<Boolean> absent = or(flagsIfPresent(folder.resolve("full_occlusion.txt")),
                    flagsIfPresent(folder.resolve("out_of_view.txt")));
            return sequence(name, group, img, BoxLines.read(gt), absent);
        }
        List<Box> boxes = BoxLines.read(gt); // GOT-10k
        if (boxes.size() == 1) {
            throw new SequenceException(gt + " has a box for the first frame only (the GOT-10k test split keeps its"
                    + " ground truth secret); evaluate on sequences with a box per frame, e.g. the val split");
        }
        return sequence(name, group, folder, boxes, flagsIfPresent(folder.resolve("absence.label")));
    }

    private static Path frames(Path folder) {
        for (String sub : new String[] {"img", "imgs"}) {
            if (Files.isDirectory(folder.resolve(sub))) {
                return folder.resolve(sub);
            }
        }
        return folder;
    }

    private static List<Boolean> flagsIfPresent(Path file) throws SequenceException {
        return Files.isRegularFile(file) ? BoxLines.flags(file) : List.of();
    }

    private static List<Boolean> or(List<Boolean> a, List<Boolean> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        Boolean[] out = new Boolean[Math.max(a.size(), b.size())];
        for (int i = 0; i < out.length; i++) {
            out[i] = (i < a.size() && a.get(i)) || (i < b.size() && b.get(i));
        }
        return List.of(out);
    }

    private static Sequence sequence(String name, String group, Path frames, List<Box> boxes, List<Boolean> absent)
            throws SequenceException {
        int count = Inputs.frameCount(frames);
        if (count != boxes.size()) {
            throw new SequenceException(frames + ": " + count + " frames but " + boxes.size() + " ground-truth boxes;"
                    + " a sequence folder needs one box per frame");
        }
        if (!absent.isEmpty() && absent.size() != count) {
            throw new SequenceException(frames + ": " + count + " frames but " + absent.size()
                    + " absence flags; the flag files need one value per frame");
        }
        Box[] truth = new Box[count];
        for (int i = 0; i < count; i++) {
            truth[i] = !absent.isEmpty() && absent.get(i) ? null : boxes.get(i);
        }
        if (!BoxScore.scorable(truth[0])) {
            throw new SequenceException(frames + ": the first frame has no visible target (box " + boxes.get(0)
                    + "); trackers start from the first frame's box");
        }
        return new Sequence(name, group, frames, 0, truth);
    }
}
