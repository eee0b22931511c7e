package org.prdimp.fiji.eval;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import org.prdimp.fiji.engine.DeviceChoice;

/**
 * Options of {@code prdimp eval}. {@code --sequences} and {@code --model} take one or more values and may
 * repeat. @see EvalMain#USAGE
 */
final class EvalOptions {
    /** Sequence folders, each with the group its sequences go in (null: named after the folder). */
    final List<Path> sequences = new ArrayList<>();
    final List<String> groups = new ArrayList<>();
    /** Model folders, each with the tracker parameters that replace the folder's own in this run ({@link ModelSpec}). */
    final List<ModelSpec> models = new ArrayList<>();
    boolean noModel;
    List<Peer> peers = Peer.parse(Peer.DEFAULT);
    boolean peersGiven;
    Path nanoTrack = NanoTrackFiles.defaultFolder();
    /** One-line notes for stderr (a default peer left out, and why). */
    final List<String> notes = new ArrayList<>();
    int procedural;
    long seed = 1;
    String preset = "nuclei";
    int proceduralFrames;
    Path cache = Paths.get("out", "eval-cache");
    Path out;
    DeviceChoice device = DeviceChoice.AUTO;
    int threads;
    int minTrackFrames = SequenceFolders.MIN_TRACK_FRAMES;

    /** {@code NAME=DIR}: the folder's sequences go in group NAME. */
    private static final java.util.regex.Pattern GROUPED = java.util.regex.Pattern.compile("([A-Za-z0-9._-]+)=(.+)");

    private EvalOptions() {
    }

    /** @throws IllegalArgumentException with a one-line reason */
    static EvalOptions parse(String[] args, int from) {
        EvalOptions o = new EvalOptions();
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--sequences":
                    List<Path> given = new ArrayList<>();
                    i = values(args, i, given);
                    for (Path p : given) {
                        java.util.regex.Matcher m = GROUPED.matcher(p.toString());
                        o.groups.add(m.matches() ? m.group(1) : null);
                        o.sequences.add(m.matches() ? java.nio.file.Paths.get(m.group(2)) : p);
                    }
                    break;
                case "--model":
                    List<Path> folders = new ArrayList<>();
                    i = values(args, i, folders);
                    for (Path p : folders) {
                        o.models.add(ModelSpec.parse(p.toString()));
                    }
                    break;
                case "--no-model":
                    o.noModel = true;
                    break;
                case "--peers":
                    o.peers = Peer.parse(value(args, ++i, a));
                    o.peersGiven = true;
                    break;
                case "--nanotrack":
                    o.nanoTrack = Paths.get(value(args, ++i, a));
                    break;
                case "--procedural":
                    o.procedural = integer(value(args, ++i, a), a, 0);
                    break;
                case "--seed":
                    o.seed = integer(value(args, ++i, a), a, 0);
                    break;
                case "--preset":
                    o.preset = value(args, ++i, a);
                    break;
                case "--frames":
                    o.proceduralFrames = integer(value(args, ++i, a), a, 2);
                    break;
                case "--cache":
                    o.cache = Paths.get(value(args, ++i, a));
                    break;
                case "--out":
                    o.out = Paths.get(value(args, ++i, a));
                    break;
                case "--device":
                    o.device = DeviceChoice.parse(value(args, ++i, a));
                    break;
                case "--threads":
                    o.threads = integer(value(args, ++i, a), a, 1);
                    break;
                case "--min-track-frames":
                    o.minTrackFrames = integer(value(args, ++i, a), a, 2);
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument '" + a + "' for eval (prdimp eval --help lists the options)");
            }
        }
        if (o.out == null) {
            throw new IllegalArgumentException("eval needs --out FOLDER (where report.md, the plots and scores.csv go)");
        }
        if (o.sequences.isEmpty() && o.procedural == 0) {
            throw new IllegalArgumentException("eval needs sequences: --sequences DIR... and/or --procedural N");
        }
        if (o.noModel && !o.models.isEmpty()) {
            throw new IllegalArgumentException("give either --model DIR... or --no-model, not both");
        }
        String nanoMissing = o.peers.contains(Peer.NANOTRACK) ? NanoTrackFiles.missing(o.nanoTrack) : null;
        if (nanoMissing != null && o.peersGiven) {
            throw new IllegalArgumentException("--peers names nanotrack, but " + nanoMissing);
        }
        if (nanoMissing != null) {
            o.peers.remove(Peer.NANOTRACK);
            o.notes.add("peer nanotrack skipped: " + nanoMissing);
        }
        if (o.noModel && o.peers.isEmpty()) {
            throw new IllegalArgumentException("--no-model with --peers none leaves no tracker to evaluate");
        }
        return o;
    }

    private static int values(String[] args, int i, List<Path> into) {
        int j = i + 1;
        while (j < args.length && !args[j].startsWith("--")) {
            into.add(Paths.get(args[j]));
            j++;
        }
        if (j == i + 1) {
            throw new IllegalArgumentException("option " + args[i] + " needs at least one folder");
        }
        return j - 1;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException("option " + option + " needs a value");
        }
        return args[i];
    }

    private static int integer(String v, String option, int min) {
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, not '" + v + "'");
        }
        if (n < min) {
            throw new IllegalArgumentException(option + " must be at least " + min + ", not " + n);
        }
        return n;
    }
}
