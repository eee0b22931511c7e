package org.prdimp.fiji.cli;

import java.io.PrintStream;

/**
 * The {@code prdimp} command line: {@code track}, {@code demo}, {@code doctor}, {@code bench},
 * {@code macro}, {@code install-fiji}.
 * Exit codes: 0 done, 1 failed while running (results of the frames tracked are kept), 2 wrong
 * use or bad input (nothing run). Errors are one line: what is wrong and what to do.
 */
public final class Prdimp {
    static final String USAGE = String.join("\n",
            "usage: prdimp <command> [options]",
            "  track  --input PATH --box x,y,w,h [--box ...] --out results.csv [--model DIR]",
            "         [--device auto|cpu|gpu] [--channel N] [--axis auto|time|z] [--frames A-B] [--max-frame-pixels N]",
            "         track boxes (given in the first frame) through a TIFF stack, an image folder or a hyperstack",
            "  demo   [--out DIR] [--model DIR] [--device auto|cpu|gpu]",
            "         track the bundled sample time-lapse; writes CSV, annotated stack and confidence plot",
            "  doctor [--model DIR] [--device auto|cpu|gpu]",
            "         report Java, DJL, libtorch, devices, threads and the model",
            "  bench  [--out DIR] [--quick] [--r18 DIR]",
            "         measure speed and memory; prints and writes a report (default bench/results);",
            "         --no-r18 skips the ResNet-18 model, --device auto|cpu|gpu picks the device",
            "  macro  FILE.ijm [ARG]",
            "         run an ImageJ macro headlessly with the plugin installed (getArgument() returns ARG)",
            "  install-fiji [FIJI_DIR] [--replace-old-jna]",
            "         install the plugin, DJL and the model into a Fiji installation (default: scijava.app.directory)",
            "  update-site OUT_DIR",
            "         an update-site tree (jars/, plugins/, models/) and a portable Fiji.app zip per platform",
            "  batch  plan|run|merge ...",
            "         many stacks as scheduler jobs (SLURM, Snakemake): prdimp batch --help",
            "  eval   --out DIR [--sequences DIR...] [--procedural N] [--model DIR...] [--peers LIST]",
            "         our tracker against OpenCV and BoofCV trackers on benchmark sequences (module evaluation/;",
            "         the ./prdimp script runs it: ./prdimp eval --help)",
            "Frames are 0-based; boxes are x,y,w,h in pixels (top-left corner). prdimp COMMAND --help: its options.");

    private Prdimp() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            (args.length == 0 ? err : out).println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        if (Help.of(args[0]) != null && Help.asked(args)) {
            out.println(Help.of(args[0]));
            return 0;
        }
        try {
            switch (args[0]) {
                case "track":
                    return TrackCommand.run(args, out, err);
                case "demo":
                    return DemoCommand.run(args, out, err);
                case "doctor":
                    return DoctorCommand.run(args, out, err);
                case "bench":
                    return BenchCommand.run(args, out, err);
                case "macro":
                    return MacroCommand.run(args, out, err);
                case "install-fiji":
                    return InstallFijiCommand.run(args, out, err);
                case "update-site":
                    return UpdateSiteCommand.run(args, out, err);
                case "batch":
                    return BatchCommand.run(args, out, err);
                case "calibrate": // fall through: like eval, it lives in the evaluation module
                case "eval":
                    throw new UsageException("eval lives in the evaluation module; run it through the launcher: ./prdimp eval --help");
                default:
                    throw new UsageException("unknown command '" + args[0] + "'; use track, demo, doctor, bench, macro, install-fiji, update-site, batch or eval (prdimp --help)");
            }
        } catch (UsageException e) {
            err.println("prdimp: error: " + e.getMessage());
            return 2;
        } catch (OutOfMemoryError e) {
            err.println("prdimp: error: " + Failures.outOfMemory());
            return 2;
        } catch (RuntimeException | LinkageError e) {
            err.println("prdimp: error: unexpected failure (" + e + "); run with PRDIMP_JAVA_OPTS=-Dprdimp.debug=true for"
                    + " details and report it with the output of prdimp doctor");
            if (Boolean.getBoolean("prdimp.debug")) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }
}
