package org.prdimp.fiji.eval;

import java.util.ArrayList;
import java.util.List;

import org.prdimp.fiji.engine.Frame;
import org.prdimp.fiji.io.InputException;
import org.prdimp.fiji.io.NormalizedFrames;

/**
 * Runs the peers over one sequence side by side: each frame is read and normalised once
 * ({@link NormalizedFrames}, as for our tracker) and handed to every peer in turn; each peer's own
 * conversion and step are timed separately. A peer that throws loses that frame (noted once). The one decoding
 * and normalising of each frame, which every peer shares and none has in its step time, is timed too.
 */
final class PeerRuns {
    private PeerRuns() {
    }

    static List<TrackRecord> run(Sequence seq, List<Peer> peers) throws SequenceException {
        List<TrackRecord> records = new ArrayList<>();
        List<PeerTracker> trackers = new ArrayList<>();
        boolean[] started = new boolean[peers.size()];
        try (TimedFrameSource source = new TimedFrameSource(Inputs.open(seq.input))) {
            NormalizedFrames frames = new NormalizedFrames(source);
            Frame first = frames.frame(seq.first);
            for (int i = 0; i < peers.size(); i++) {
                Peer p = peers.get(i);
                TrackRecord r = new TrackRecord(p.key, seq);
                records.add(r);
                PeerTracker t = p.create();
                trackers.add(t);
                long t0 = System.nanoTime();
                try {
                    started[i] = t.start(first, seq.initialBox());
                    if (!started[i]) {
                        r.noteOnce("refused to start on the initial box: every frame counts as lost");
                    }
                } catch (RuntimeException e) {
                    r.noteOnce("could not start (" + oneLine(e) + "): every frame counts as lost");
                }
                r.initSeconds = p == Peer.STATIC ? Double.NaN : (System.nanoTime() - t0) / 1e9;
                r.boxes[0] = seq.initialBox();
            }
            for (int k = 1; k < seq.length(); k++) {
                source.takeReadNanos();
                long f0 = System.nanoTime();
                Frame frame = frames.frame(seq.first + k);
                long decode = source.takeReadNanos();
                long normalise = System.nanoTime() - f0 - decode;
                for (int i = 0; i < peers.size(); i++) {
                    if (!started[i]) {
                        continue;
                    }
                    TrackRecord r = records.get(i);
                    long t0 = System.nanoTime();
                    try {
                        r.boxes[k] = trackers.get(i).next(frame);
                    } catch (RuntimeException e) {
                        r.noteOnce("failed in frame " + (seq.first + k) + " (" + oneLine(e) + "); such frames count as lost");
                    }
                    if (peers.get(i) != Peer.STATIC) { // a baseline, not a tracker: no speed
                        r.stepSeconds[k] = (System.nanoTime() - t0) / 1e9;
                        r.decodeSeconds[k] = decode / 1e9;
                        r.normaliseSeconds[k] = normalise / 1e9;
                    }
                }
            }
        } catch (InputException e) {
            throw new SequenceException(seq.name + ": " + e.getMessage());
        } finally {
            for (PeerTracker t : trackers) {
                t.close();
            }
        }
        return records;
    }

    static String oneLine(Throwable e) {
        String m = String.valueOf(e.getMessage()).replaceAll("\\s+", " ").trim();
        return e.getClass().getSimpleName() + (m.length() > 160 ? ": " + m.substring(0, 160) + "..." : ": " + m);
    }
}
