package org.prdimp.fiji.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.engine.TargetResult;
import org.prdimp.fiji.engine.TargetState;
import org.prdimp.fiji.engine.TrackState;
import org.prdimp.fiji.engine.TestPaths;

/** Runs the prdimp CLI in-process and reads what it wrote, for the tests. */
final class CliRunner {
    final int code;
    final String out;
    final String err;

    private CliRunner(int code, String out, String err) {
        this.code = code;
        this.out = out;
        this.err = err;
    }

    static CliRunner run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = Prdimp.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        CliRunner r = new CliRunner(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        System.out.println("$ prdimp " + String.join(" ", args) + "\n" + r.out + r.err + "exit " + code);
        return r;
    }

    /** The results CSV as TargetResults (checks the header). */
    static List<TargetResult> readCsv(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        if (!lines.get(0).equals(org.prdimp.fiji.run.ResultsCsv.HEADER)) {
            throw new AssertionError("bad header: " + lines.get(0));
        }
        List<TargetResult> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (f.length != 12) {
                throw new AssertionError("row without 12 fields: " + line);
            }
            Box box = f[2].isEmpty() ? null : new Box(d(f[2]), d(f[3]), d(f[4]), d(f[5]));
            TargetState state = null;
            for (TargetState s : TargetState.values()) {
                if (s.label().equals(f[9])) {
                    state = s;
                }
            }
            TrackState peakState = null;
            for (TrackState s : TrackState.values()) {
                if (s.label().equals(f[11])) {
                    peakState = s;
                }
            }
            if (state == null || peakState == null) {
                throw new AssertionError("unknown state in " + line);
            }
            out.add(new TargetResult(Integer.parseInt(f[0]), Integer.parseInt(f[1]), box, d(f[6]),
                    f[7].isEmpty() ? Double.NaN : d(f[7]), f[8].isEmpty() ? Double.NaN : d(f[8]), state, d(f[10]), peakState));
        }
        return out;
    }

    private static double d(String s) {
        return Double.parseDouble(s);
    }

    /** Writes a synthetic time-lapse with the project's generator (python3 -m prdimp.procedural). */
    static void synthetic(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", "-m", "prdimp.procedural", dir.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(TestPaths.models().toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("synthetic sequence generation failed:\n" + log);
        }
    }
}
