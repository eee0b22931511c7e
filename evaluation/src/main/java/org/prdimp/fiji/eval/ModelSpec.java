package org.prdimp.fiji.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.regex.Pattern;

import org.prdimp.fiji.engine.ModelException;
import org.prdimp.fiji.engine.ModelFolder;
import org.prdimp.fiji.engine.TrackerOverrides;

/**
 * One {@code --model} value of {@code prdimp eval}: a model folder, optionally followed by tracker parameters
 * that replace the folder's own for this run, {@code DIR@key=value[,key=value...]} (e.g.
 * {@code models/default@box_refinement=false}). Only the last {@code @} counts, and only when what follows it
 * is key=value pairs, so a folder whose path holds an {@code @} elsewhere still works.
 */
final class ModelSpec {
    private static final Pattern PAIRS = Pattern.compile(
            "[A-Za-z_][A-Za-z0-9_]*=[^,=@/\\\\]+(,[A-Za-z_][A-Za-z0-9_]*=[^,=@/\\\\]+)*");

    final Path folder;
    /** The parameters as written (key to text), in the order given; empty for the folder as it is. */
    final Map<String, String> overrides;

    private ModelSpec(Path folder, Map<String, String> overrides) {
        this.folder = folder;
        this.overrides = overrides;
    }

    static ModelSpec of(Path folder) {
        return new ModelSpec(folder, Map.of());
    }

    /**
     * Parses one {@code --model} value; keys and values are checked here, before anything runs.
     *
     * @throws IllegalArgumentException one line naming the value and what is wrong with it
     */
    static ModelSpec parse(String arg) {
        int at = arg.lastIndexOf('@');
        String right = at < 0 ? "" : arg.substring(at + 1);
        if (at <= 0 || !PAIRS.matcher(right).matches()) {
            if (at > 0 && !right.isEmpty() && !right.contains("/") && !right.contains("\\")
                    && !Files.exists(Paths.get(arg))) {
                throw new IllegalArgumentException("--model " + arg + " is not a folder, and what follows its last '@' is"
                        + " not tracker parameters: give them as DIR@key=value[,key=value...], e.g. "
                        + arg.substring(0, at) + "@box_refinement=false");
            }
            return of(Paths.get(arg));
        }
        Map<String, String> pairs;
        try {
            pairs = TrackerOverrides.parse(java.util.Arrays.asList(right.split(",")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--model " + arg + ": " + e.getMessage());
        }
        return new ModelSpec(Paths.get(arg.substring(0, at)), pairs);
    }

    /** The folder, read and verified, with the overrides applied. */
    ModelFolder open() throws ModelException {
        ModelFolder m = ModelFolder.open(folder);
        try {
            return overrides.isEmpty() ? m : m.withTrackerOverrides(overrides);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--model " + this + ": " + e.getMessage());
        }
    }

    /** The tracker's name in the report: {@code prdimp:FOLDER} or {@code prdimp:FOLDER@key=value,...}. */
    String trackerName(ModelFolder opened) {
        Path name = folder.toAbsolutePath().normalize().getFileName();
        String overridden = opened.trackerOverridesText();
        return "prdimp:" + (name == null ? "model" : name) + (overridden.isEmpty() ? "" : "@" + overridden);
    }

    @Override
    public String toString() {
        if (overrides.isEmpty()) {
            return folder.toString();
        }
        java.util.StringJoiner pairs = new java.util.StringJoiner(",", folder + "@", "");
        overrides.forEach((k, v) -> pairs.add(k + "=" + v));
        return pairs.toString();
    }
}
