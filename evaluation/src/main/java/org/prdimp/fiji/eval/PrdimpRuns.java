package org.prdimp.fiji.eval;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.prdimp.fiji.engine.CallTimes;

import org.prdimp.fiji.engine.TargetResult;
import org.prdimp.fiji.engine.TrackingEngine;
import org.prdimp.fiji.io.InputException;
import org.prdimp.fiji.io.NormalizedFrames;
import org.prdimp.fiji.run.FrameRange;
import org.prdimp.fiji.run.TrackingException;
import org.prdimp.fiji.run.TrackingRun;
import org.prdimp.fiji.run.TrackingSession;

/**
 * Our tracker on one sequence, through the session every front end shares ({@link TrackingSession} on
 * {@link NormalizedFrames}). The step time of a frame is the time between two results less the time spent
 * decoding the frame (peers are timed from the decoded frame too); normalising it is included. The decoding
 * time of each frame is kept beside it, and the time inside each network method ({@link CallTimes}) between two
 * results is the share of that frame's step spent there (the network calls of a frame all end before its result).
 */
final class PrdimpRuns {
    private PrdimpRuns() {
    }

    static TrackRecord run(String name, TrackingEngine engine, Sequence seq) throws SequenceException {
        TrackRecord r = new TrackRecord(name, seq);
        r.results = new TargetResult[seq.length()];
        try (TimedFrameSource source = new TimedFrameSource(Inputs.open(seq.input))) {
            NormalizedFrames frames = new NormalizedFrames(source);
            source.takeReadNanos();
            CallTimes calls = engine.network().callTimes();
            AtomicReference<Map<String, CallTimes.Entry>> before = new AtomicReference<>(calls.snapshot());
            long[] last = {System.nanoTime()};
            TrackingSession session = TrackingSession.ofBoxes(frames, List.of(seq.initialBox()), new FrameRange(seq.first, seq.last))
                    .engine(engine).listener((frame, results) -> {
                        long now = System.nanoTime();
                        long decode = source.takeReadNanos();
                        double seconds = (now - last[0] - decode) / 1e9;
                        last[0] = now;
                        int k = frame - seq.first;
                        Map<String, CallTimes.Entry> after = calls.snapshot();
                        TargetResult t = results.get(0);
                        r.results[k] = t;
                        if (k == 0) {
                            r.initSeconds = seconds;
                            r.boxes[0] = seq.initialBox();
                        } else {
                            r.stepSeconds[k] = seconds;
                            r.decodeSeconds[k] = decode / 1e9;
                            r.boxes[k] = t.box;
                            for (CallTimes.Entry e : after.values()) {
                                CallTimes.Entry d = e.since(before.get().get(e.method));
                                if (d.calls > 0) {
                                    r.addMethod(k, d.method, d.nanos / 1e9, (int) d.calls);
                                }
                            }
                        }
                        before.set(after);
                    });
            TrackingRun.Outcome outcome = session.run().outcome;
            if (outcome.failure != null) {
                r.noteOnce(outcome.failure + " (the frames after it count as lost)");
            }
        } catch (TrackingException e) { // the run could not start (e.g. a box the engine refuses): a miss, as for a peer
            r.boxes[0] = seq.initialBox();
            r.noteOnce("could not start (" + e.getMessage() + "): every frame counts as lost");
        } catch (InputException e) {
            throw new SequenceException(seq.name + ": " + e.getMessage());
        } catch (IOException e) {
            throw new SequenceException(seq.name + ": " + e.getMessage());
        }
        return r;
    }
}
