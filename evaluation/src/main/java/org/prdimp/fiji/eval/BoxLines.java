package org.prdimp.fiji.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.prdimp.fiji.engine.Box;

/** Text files of one box or one flag per line (OTB, GOT-10k, LaSOT), any separator: comma, tab, space. */
final class BoxLines {
    private BoxLines() {
    }

    /**
     * One box per non-empty line, x y w h; a line of "NaN" values or an empty box gives a box that is not
     * scored. Lines of 8 numbers (a polygon x1,y1,...,x4,y4, VOT) become their axis-aligned bounding box.
     *
     * @throws SequenceException naming the file and line
     */
    static List<Box> read(Path file) throws SequenceException {
        List<Box> boxes = new ArrayList<>();
        List<String> lines = lines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            double[] v = numbers(line, file, i + 1);
            if (v.length == 4) {
                boxes.add(new Box(v[0], v[1], v[2], v[3]));
            } else if (v.length == 8) {
                double x0 = Math.min(Math.min(v[0], v[2]), Math.min(v[4], v[6]));
                double x1 = Math.max(Math.max(v[0], v[2]), Math.max(v[4], v[6]));
                double y0 = Math.min(Math.min(v[1], v[3]), Math.min(v[5], v[7]));
                double y1 = Math.max(Math.max(v[1], v[3]), Math.max(v[5], v[7]));
                boxes.add(new Box(x0, y0, x1 - x0, y1 - y0));
            } else {
                throw new SequenceException(file + " line " + (i + 1) + ": " + v.length
                        + " numbers; a ground-truth line holds x,y,w,h (4 numbers, or a polygon of 8)");
            }
        }
        return boxes;
    }

    /** 0/1 flags: one per line, or all on one line separated by commas or spaces (LaSOT). */
    static List<Boolean> flags(Path file) throws SequenceException {
        List<Boolean> out = new ArrayList<>();
        List<String> lines = lines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            for (double v : numbers(line, file, i + 1)) {
                out.add(v != 0);
            }
        }
        return out;
    }

    private static List<String> lines(Path file) throws SequenceException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SequenceException("cannot read " + file + ": " + e.getMessage() + "; check that it is a readable text file");
        }
    }

    private static double[] numbers(String line, Path file, int lineNumber) throws SequenceException {
        String[] parts = line.split("[,;\\s]+");
        double[] v = new double[parts.length];
        for (int k = 0; k < parts.length; k++) {
            try {
                v[k] = Double.parseDouble(parts[k]);
            } catch (NumberFormatException e) {
                throw new SequenceException(file + " line " + lineNumber + ": '" + parts[k]
                        + "' is not a number; ground-truth files hold numbers separated by commas, tabs or spaces");
            }
        }
        return v;
    }
}
