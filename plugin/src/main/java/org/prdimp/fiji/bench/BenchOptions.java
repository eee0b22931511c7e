package org.prdimp.fiji.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.prdimp.fiji.engine.DeviceChoice;

/**
 * Options of {@code prdimp bench} and the sizes they imply:
 * {@code [--out DIR] [--quick] [--r18 DIR | --no-r18] [--device auto|cpu|gpu]}.
 */
final class BenchOptions {
    Path out = Paths.get("bench", "results");
    boolean quick;
    Path r18;
    boolean noR18;
    DeviceChoice device = DeviceChoice.AUTO;

    /** Frames tracked untimed after initialisation, then timed, in the speed runs. */
    int warmup = 40;
    int timed = 100;
    /** Targets tracked together in the batching comparison. */
    int batchTargets = 20;
    /** Timed repeats of each initialisation, after one untimed call when {@code initWarmup}. */
    int initRepeats = 3;
    boolean initWarmup = true;
    /** Frames of the memory run. */
    int heapFrames = 5000;

    private BenchOptions() {
    }

    /** Parses {@code args} (args[0] is "bench"). @throws IllegalArgumentException with a one-line reason */
    static BenchOptions parse(String[] args) {
        BenchOptions o = new BenchOptions();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick":
                    o.quick = true;
                    break;
                case "--no-r18":
                    o.noR18 = true;
                    break;
                case "--out":
                    o.out = Paths.get(value(args, ++i, a));
                    break;
                case "--r18":
                    o.r18 = Paths.get(value(args, ++i, a));
                    break;
                case "--device":
                    o.device = DeviceChoice.parse(value(args, ++i, a));
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument '" + a + "' for bench; known: --out DIR, --quick,"
                            + " --r18 DIR, --no-r18, --device auto|cpu|gpu");
            }
        }
        if (o.r18 != null && o.noR18) {
            throw new IllegalArgumentException("give either --r18 DIR or --no-r18, not both");
        }
        if (o.r18 != null && !Files.isDirectory(o.r18)) {
            throw new IllegalArgumentException("--r18 " + o.r18 + " is not a folder; give a PrDiMP-18 model folder"
                    + " (python3 -m prdimp.convert.official or prdimp.convert.testmodels writes one)");
        }
        if (o.quick) {
            o.warmup = 3;
            o.timed = 10;
            o.initRepeats = 1;
            o.initWarmup = false;
            o.heapFrames = 300;
        }
        return o;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException("option " + option + " needs a value");
        }
        return args[i];
    }
}
