package org.prdimp.fiji.cli;

import java.util.Map;

/**
 * The {@code --help} / {@code -h} text of each subcommand: usage, options with their defaults, and one
 * example. {@link Prdimp} prints it (exit 0) before the command parses anything.
 */
final class Help {
    private static final Map<String, String> TEXTS = Map.of(
            "track", String.join("\n",
                    "usage: prdimp track --input PATH --box x,y,w,h [--box ...] --out results.csv [options]",
                    "Tracks boxes (given in the first frame of the range) through a TIFF stack, a hyperstack or a",
                    "folder of TIFF/PNG/JPEG frames; writes one CSV row per target and frame.",
                    "  --input PATH             TIFF stack, single image or folder of images (required)",
                    "  --box x,y,w,h            a target in the first frame, in pixels, top-left corner; repeat for",
                    "                           more targets (at least one)",
                    "  --out FILE               the CSV to write (required); written to FILE.NNN.tmp beside it and moved",
                    "                           into place when the run ends; a failed or interrupted run leaves",
                    "                           FILE.partial.csv and never replaces an earlier FILE; must not be an input",
                    "  --model DIR              model folder (default: the bundled models/default)",
                    "  --set KEY=VALUE          replace one tracker parameter of the model's rdf.yaml for this run;",
                    "                           repeat for more (e.g. --set box_refinement_size_rate=0 keeps the",
                    "                           given box size); the engine line names what was replaced",
                    "  --device auto|cpu|gpu    where the network runs (default auto: the GPU when usable)",
                    "  --channel N              1-based channel of a multi-channel hyperstack (default 1)",
                    "  --axis auto|time|z       dimension to track through in a hyperstack (default auto: time if it",
                    "                           has several time frames, else z)",
                    "  --frames A-B             0-based frame range, A holds the boxes (default: all frames; A- to the end)",
                    "  --max-frame-pixels N     largest frame (width x height) accepted (default: what the Java heap",
                    "                           holds, heap bytes / 16 per channel); raise the heap with",
                    "                           PRDIMP_JAVA_OPTS=-Xmx8g rather than this guard",
                    "Exit codes: 0 done, 1 failed while running (frames tracked so far kept), 2 wrong use or bad input.",
                    "example: prdimp track --input cells.tif --box 120,80,30,28 --box 300,210,26,30 --out results.csv"),
            "demo", String.join("\n",
                    "usage: prdimp demo [--out DIR] [--model DIR] [--device auto|cpu|gpu]",
                    "Tracks the bundled synthetic time-lapse (6 nuclei, 60 frames) and writes results.csv,",
                    "tracked.tif, confidence.png and summary.txt (accuracy against the exact ground truth).",
                    "  --out DIR                output folder (default out/demo)",
                    "  --model DIR              model folder (default: the bundled models/default)",
                    "  --device auto|cpu|gpu    where the network runs (default auto)",
                    "example: prdimp demo --out out/demo"),
            "doctor", String.join("\n",
                    "usage: prdimp doctor [--model DIR] [--device auto|cpu|gpu]",
                    "Reports Java, DJL, libtorch (version, flavour, path), devices, threads and the model, and runs",
                    "the network once. Exit 0 when tracking can run, 1 otherwise.",
                    "  --model DIR              model folder to check (default: the bundled models/default)",
                    "  --device auto|cpu|gpu    device to check (default auto)",
                    "example: prdimp doctor --model models/default"),
            "bench", String.join("\n",
                    "usage: prdimp bench [--out DIR] [--quick] [--r18 DIR | --no-r18] [--device auto|cpu|gpu]",
                    "Measures speed and memory; prints the figures and writes a report.",
                    "  --out DIR                report folder (default bench/results)",
                    "  --quick                  fewer frames and repeats (default: off, the full runs)",
                    "  --r18 DIR                a PrDiMP-18 model folder to time as well (default: none)",
                    "  --no-r18                 skip the ResNet-18 model",
                    "  --device auto|cpu|gpu    where the network runs (default auto)",
                    "example: prdimp bench --quick --out out/bench"),
            "macro", String.join("\n",
                    "usage: prdimp macro FILE.ijm [ARG]",
                    "Runs an ImageJ macro headlessly with the plugin installed; getArgument() returns ARG",
                    "(default: empty). Exit 0 the macro ran to its end, 2 PrDiMP Track refused its input or",
                    "wrong use, 1 the macro failed.",
                    "example: prdimp macro macros/track_folder.ijm \"input=cells output=tracks boxes=cells/boxes.csv\""),
            "install-fiji", String.join("\n",
                    "usage: prdimp install-fiji [FIJI_DIR] [--replace-old-jna]",
                    "Installs the plugin, DJL and the model into a Fiji installation.",
                    "  FIJI_DIR                 the Fiji.app folder (default: -Dscijava.app.directory)",
                    "  --replace-old-jna        replace a JNA older than DJL needs (default: off, only reported)",
                    "example: prdimp install-fiji ~/Fiji.app"));

    private Help() {
    }

    /** The help of {@code command}, or null when it has none here (new subcommands answer --help themselves). */
    static String of(String command) {
        return TEXTS.get(command);
    }

    /**
     * True when {@code args} (args[0] the command) ask for help: {@code --help} or {@code -h} as an
     * option. For {@code macro} only right after the command (a later argument is the macro's).
     */
    static boolean asked(String[] args) {
        int last = "macro".equals(args[0]) ? Math.min(args.length, 2) : args.length;
        for (int i = 1; i < last; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                return true;
            }
        }
        return false;
    }
}
