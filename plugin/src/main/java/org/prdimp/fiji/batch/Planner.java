package org.prdimp.fiji.batch;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ij.gui.Roi;

import org.prdimp.fiji.command.InitialTargets;
import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.run.TrackingException;

/**
 * Makes a plan from an input folder: every TIFF stack in it ({@code .tif}, {@code .tiff}, name order) becomes one
 * job, with its initial boxes from the boxes CSV or, for a stack the CSV does not name, from an ImageJ ROI file
 * beside it ({@code NAME.roi} or the ROI Manager's {@code NAME.zip}, one target per ROI, its bounds as the box).
 * A stack with neither is skipped (listed with the reason).
 *
 * <p>Boxes CSV: a header line, then one row per target, columns found by name: {@code stack} (the stack's file
 * name, with or without its extension), {@code x}, {@code y}, {@code w}, {@code h} (pixels, top-left corner, in
 * the first frame of the range); other columns are ignored. The targets of a stack are numbered 0, 1, ... in the
 * order of its rows.
 */
public final class Planner {
    private Planner() {
    }

    /** The TIFF stacks directly in {@code input}, by name. */
    public static List<Path> stacks(Path input) throws BatchException, IOException {
        if (!Files.isDirectory(input)) {
            throw new BatchException("input folder " + input + " does not exist or is not a folder; give the folder that"
                    + " holds the TIFF stacks");
        }
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> d = Files.newDirectoryStream(input)) {
            for (Path p : d) {
                String n = p.getFileName().toString();
                String lower = n.toLowerCase(Locale.ROOT);
                if (!n.startsWith(".") && (lower.endsWith(".tif") || lower.endsWith(".tiff")) && Files.isRegularFile(p)) {
                    out.add(p.toAbsolutePath().normalize());
                }
            }
        }
        out.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        if (out.isEmpty()) {
            throw new BatchException("input folder " + input + " holds no TIFF stack (.tif, .tiff); give the folder that"
                    + " holds them");
        }
        for (Path p : out) {
            String n = p.toString();
            if (n.indexOf('\t') >= 0 || n.indexOf('\n') >= 0 || n.indexOf('\r') >= 0) {
                throw new BatchException("stack path '" + n.replace("\t", "\\t").replace("\n", "\\n") + "' holds a tab or a"
                        + " line break, which the plan cannot list; rename the file");
            }
        }
        return out;
    }

    /**
     * Plans every stack of {@code input}; {@code boxesCsv} may be null (ROI files only).
     *
     * @param frames frame range "A-B" or empty; {@code model} absolute model folder or empty for the bundled one
     */
    public static BatchPlan plan(Path input, Path boxesCsv, int channel, String axis, String frames, String model)
            throws BatchException, IOException {
        List<Path> stacks = stacks(input);
        Map<String, List<Box>> csvBoxes = new LinkedHashMap<>();
        Map<String, String> csvLines = new LinkedHashMap<>();
        if (boxesCsv != null) {
            readBoxes(boxesCsv, stacks, csvBoxes, csvLines);
        }
        List<PlannedJob> jobs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path stack : stacks) {
            String name = stack.getFileName().toString();
            List<Box> boxes = csvBoxes.get(name);
            String from = csvLines.get(name);
            if (boxes == null) {
                Path roi = roiFile(stack);
                if (roi == null) {
                    skipped.add(name + "\tno boxes: " + (boxesCsv == null ? "" : "not in " + boxesCsv.getFileName()
                            + " and ") + "no " + stem(name) + ".roi or " + stem(name) + ".zip beside it");
                    continue;
                }
                try {
                    boxes = new ArrayList<>();
                    for (Roi r : InitialTargets.readRois(roi.toString())) {
                        boxes.add(InitialTargets.bounds(r));
                    }
                    from = roi.getFileName().toString();
                } catch (TrackingException e) {
                    skipped.add(name + "\t" + e.getMessage().replace('\t', ' '));
                    continue;
                }
            }
            jobs.add(new PlannedJob(jobs.size(), stack, name, boxes, from));
        }
        if (jobs.isEmpty()) {
            throw new BatchException("no stack of " + input + " has boxes (" + skipped.size() + " stack(s), e.g. "
                    + skipped.get(0).replace('\t', ':') + "); give --boxes boxes.csv with columns stack,x,y,w,h or save"
                    + " NAME.roi / NAME.zip beside each stack");
        }
        return new BatchPlan(jobs, skipped, channel, axis, frames, model);
    }

    /** {@code NAME.roi} or {@code NAME.zip} beside the stack, or null. */
    static Path roiFile(Path stack) {
        String stem = stem(stack.getFileName().toString());
        for (String ext : new String[] {".roi", ".zip"}) {
            Path p = stack.resolveSibling(stem + ext);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static void readBoxes(Path csv, List<Path> stacks, Map<String, List<Box>> boxes, Map<String, String> lines)
            throws BatchException, IOException {
        if (!Files.isRegularFile(csv)) {
            throw new BatchException("boxes file " + csv + " does not exist; give a CSV with the columns stack,x,y,w,h");
        }
        Map<String, String> byName = new LinkedHashMap<>();
        for (Path s : stacks) {
            String n = s.getFileName().toString();
            byName.put(n, n);
            byName.putIfAbsent(stem(n), n);
        }
        CsvTable t = CsvTable.read(csv, ',');
        t.require("the boxes file", "stack", "x", "y", "w", "h");
        Map<String, int[]> span = new LinkedHashMap<>();
        for (int i = 0; i < t.rows.size(); i++) {
            int line = t.lines.get(i);
            String where = csv.getFileName() + " line " + line;
            String given = t.get(i, "stack");
            String name = byName.get(given);
            if (name == null) {
                name = byName.get(given.replace('\\', '/').replaceAll(".*/", ""));
            }
            if (name == null) {
                throw new BatchException(where + ": stack '" + given + "' is not a TIFF stack of the input folder; write its"
                        + " file name (e.g. " + stacks.get(0).getFileName() + ") or remove the row");
            }
            Box b;
            try {
                b = Box.parse(t.get(i, "x") + "," + t.get(i, "y") + "," + t.get(i, "w") + "," + t.get(i, "h"));
            } catch (IllegalArgumentException e) {
                throw new BatchException(where + ": " + e.getMessage());
            }
            if (!(b.w > 0) || !(b.h > 0)) {
                throw new BatchException(where + ": box " + b + " has zero width or height; give w and h above 0");
            }
            boxes.computeIfAbsent(name, k -> new ArrayList<>()).add(b);
            int[] s = span.computeIfAbsent(name, k -> new int[] {line, line});
            s[1] = line;
        }
        for (Map.Entry<String, int[]> e : span.entrySet()) {
            int[] s = e.getValue();
            lines.put(e.getKey(), csv.getFileName() + (s[0] == s[1] ? " line " + s[0] : " lines " + s[0] + "-" + s[1]));
        }
    }
}
