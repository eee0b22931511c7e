package org.prdimp.fiji.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.prdimp.fiji.engine.Box;

/**
 * The project's procedural time-lapses, written by its one generator
 * ({@code python3 -m prdimp.procedural OUT --preset P --seed S [--frames N]}, run in the models folder) into
 * a cache folder and reused when already there. Time-lapse {@code k} of a set uses seed {@code seed + k};
 * each contiguous run of a track (for the nuclei preset: every frame) is one sequence.
 */
public final class ProceduralSequences {
    /** The Python with PyTorch and numpy (the project runs its models package with Debian's). */
    static final String PYTHON = System.getenv().getOrDefault("PRDIMP_PYTHON", "/usr/bin/python3");

    public final String preset;
    public final int count;
    public final long seed;
    /** Frames per time-lapse; 0 = the preset's. */
    public final int frames;

    public ProceduralSequences(String preset, int count, long seed, int frames) {
        this.preset = preset;
        this.count = count;
        this.seed = seed;
        this.frames = frames;
    }

    /** Generates what the cache lacks, then reads every track as a sequence. */
    public List<Sequence> read(Path modelsDir, Path cache) throws SequenceException {
        List<Sequence> out = new ArrayList<>();
        String group = "procedural-" + preset;
        for (int k = 0; k < count; k++) {
            long s = seed + k;
            String stem = String.format(Locale.ROOT, "%s-seed%d%s", preset, s, frames > 0 ? "-frames" + frames : "");
            Path dir = cache.resolve(stem);
            Path tif = dir.resolve("sequence.tif");
            Path csv = dir.resolve("groundtruth.csv");
            if (!Files.isRegularFile(tif) || !Files.isRegularFile(csv)) {
                generate(modelsDir, dir, s);
            }
            Map<Integer, Map<Integer, Box>> tracks = CtcFolder.boxesFromTable(csv);
            int count = Inputs.frameCount(tif);
            for (Map.Entry<Integer, Map<Integer, Box>> t : tracks.entrySet()) {
                // a track is a sequence from each frame it appears in (kinds with divisions start tracks later)
                for (int[] run : CtcFolder.runs(t.getValue().keySet(), 2)) {
                    int last = Math.min(run[1], count - 1);
                    if (last - run[0] + 1 < 2) {
                        continue;
                    }
                    Box[] truth = new Box[last - run[0] + 1];
                    for (int f = run[0]; f <= last; f++) {
                        truth[f - run[0]] = t.getValue().get(f);
                    }
                    out.add(new Sequence(group + "/" + stem + "/track" + t.getKey() + (run[0] == 0 ? "" : "@" + run[0]), group,
                            tif, run[0], truth));
                }
            }
        }
        return out;
    }

    private void generate(Path modelsDir, Path dir, long s) throws SequenceException {
        if (!Files.isRegularFile(modelsDir.resolve("prdimp").resolve("procedural").resolve("__main__.py"))) {
            throw new SequenceException("cannot find the generator prdimp/procedural/ in " + modelsDir
                    + "; run from the repository (the ./prdimp script sets the models folder)");
        }
        List<String> cmd = new ArrayList<>(List.of(PYTHON, "-m", "prdimp.procedural", dir.toAbsolutePath().toString(),
                "--preset", preset, "--seed", String.valueOf(s)));
        if (frames > 0) {
            cmd.add("--frames");
            cmd.add(String.valueOf(frames));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(modelsDir.toFile()).redirectErrorStream(true);
        StringBuilder log = new StringBuilder();
        int rc;
        try {
            Process p = pb.start();
            try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    log.append(line).append('\n');
                }
            }
            rc = p.waitFor();
        } catch (IOException e) {
            throw new SequenceException("cannot run " + PYTHON + " (" + e.getMessage() + "); install python3 with numpy and PIL"
                    + " (Debian python3-numpy python3-pil) or set PRDIMP_PYTHON");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SequenceException("interrupted while generating " + dir);
        }
        if (rc != 0) {
            String[] lines = log.toString().trim().split("\n");
            throw new SequenceException("the generator failed for preset " + preset + ", seed " + s + ": "
                    + lines[lines.length - 1] + " (" + String.join(" ", cmd) + ")");
        }
    }
}
