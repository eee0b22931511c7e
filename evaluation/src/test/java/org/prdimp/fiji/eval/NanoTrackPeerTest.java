package org.prdimp.fiji.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NanoTrack v2 (OpenCV's TrackerNano on its ONNX pair from ../shared) as an {@code eval} peer. */
class NanoTrackPeerTest {
    private static final Path SHARED = Paths.get(System.getProperty("prdimp.repo.root", "..")).resolve("../shared")
            .normalize();
    private static final Path ONNX = SHARED.resolve("models/nanotrack/v2");

    @TempDir
    Path tmp;

    @Test
    void tracksARealTrainingSequence() throws Exception {
        Path seq = SHARED.resolve("data/training/otb_DragonBaby");
        assumeTrue(Files.isDirectory(seq) && NanoTrackFiles.missing(ONNX) == null,
                "skipped: ../shared/data/training/otb_DragonBaby or ../shared/models/nanotrack/v2 is absent");
        Cli r = Cli.run("--sequences", seq.toString(), "--no-model", "--peers", "nanotrack,static", "--nanotrack",
                ONNX.toString(), "--out", tmp.toString());
        assertEquals(0, r.code, r.err);
        List<String> lines = Files.readAllLines(tmp.resolve("scores.csv"), StandardCharsets.UTF_8);
        List<String> header = Arrays.asList(lines.get(0).split(","));
        double nano = Double.NaN;
        double still = Double.NaN;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            double auc = Double.parseDouble(f[header.indexOf("auc")]);
            if (f[header.indexOf("tracker")].equals("nanotrack")) {
                nano = auc;
                assertTrue(Double.parseDouble(f[header.indexOf("fps")]) > 0, line);
            } else {
                still = auc;
            }
        }
        // measured 0.705 (CSRT 0.185) on this fast-moving, deforming child: it follows, the static box does not
        assertTrue(nano > 0.55 && nano > still + 0.3, "nanotrack AUC " + nano + ", static " + still);
        assertTrue(r.out.contains("nanotrack") && r.out.contains("fps"), r.out);
        assertTrue(Files.readString(tmp.resolve("report.md")).contains("NanoTrack v2 (OpenCV TrackerNano)"));
    }

    @Test
    void namedButMissingIsOneLineError() throws Exception {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        Cli r = Cli.run("--procedural", "1", "--no-model", "--peers", "nanotrack", "--nanotrack", empty.toString(),
                "--out", tmp.resolve("out").toString());
        assertEquals(2, r.code, r.err);
        assertEquals(1, r.err.trim().split("\n").length, r.err);
        assertTrue(r.err.startsWith("prdimp: error: --peers names nanotrack, but NanoTrack's ONNX pair")
                && r.err.contains("--nanotrack DIR"), r.err);
    }

    @Test
    void defaultPeersSkipItWithANoteWhereTheFilesAreAbsent() throws Exception {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        EvalOptions o = EvalOptions.parse(new String[] {"--procedural", "1", "--out", tmp.toString(), "--nanotrack",
                empty.toString()}, 0);
        assertFalse(o.peers.contains(Peer.NANOTRACK));
        assertTrue(o.peers.contains(Peer.CSRT));
        assertEquals(1, o.notes.size());
        assertTrue(o.notes.get(0).startsWith("peer nanotrack skipped: NanoTrack's ONNX pair"), o.notes.get(0));
        Files.createFile(empty.resolve(NanoTrackFiles.BACKBONE));
        Files.createFile(empty.resolve(NanoTrackFiles.HEAD));
        EvalOptions present = EvalOptions.parse(new String[] {"--procedural", "1", "--out", tmp.toString(),
                "--nanotrack", empty.toString()}, 0);
        assertTrue(present.peers.contains(Peer.NANOTRACK) && present.notes.isEmpty());
    }
}
