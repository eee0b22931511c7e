package org.prdimp.fiji.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prdimp.fiji.engine.Box;

/** The readers and one peer on the shared real sequences; skipped where {@code ../shared} is absent. */
class SharedSequencesTest {
    private static final Path SHARED = Cli.sharedSequences();

    @TempDir
    Path tmp;

    @BeforeEach
    void needShared() {
        assumeTrue(Files.isDirectory(SHARED), "skipped: the shared sequences (" + SHARED
                + ") are not here; they sit beside the repository as ../shared/data/sequences");
    }

    @Test
    void naturalVideos() throws Exception {
        String[][] expected = {{"otb_crossing", "120"}, {"vot2015_bag", "196"}, {"dtb70_surfing06", "106"}};
        for (String[] e : expected) {
            List<Sequence> seqs = SequenceFolders.read(SHARED.resolve(e[0]), 40);
            assertEquals(1, seqs.size());
            assertEquals(Integer.parseInt(e[1]), seqs.get(0).length(), e[0]);
        }
        Box first = SequenceFolders.read(SHARED.resolve("otb_crossing"), 40).get(0).initialBox();
        assertEquals("205.00,151.00,17.00,50.00", first.toString()); // the tab-separated first line
    }

    @Test
    void gowt1TracksAndTheirMaskBoxes() throws Exception {
        Path ctc = SHARED.resolve("ctc_Fluo-N2DH-GOWT1_01");
        List<Sequence> seqs = SequenceFolders.read(ctc, 40);
        // man_track.txt: 18 tracks span frames 0-91; 8, 9 (0-51), 10 (0-46), 18 (21-91), 22 (17-91), 23 (0-77)
        assertEquals(24, seqs.size());
        assertEquals(18, seqs.stream().filter(s -> s.first == 0 && s.last == 91).count());
        assertEquals(18, SequenceFolders.read(ctc, 92).size());
        // the box table beside the data was derived from the TRA masks: our mask reader gives the same boxes
        Map<Integer, Map<Integer, Box>> fromMasks = CtcFolder.boxesFromMasks(ctc.resolve("01_GT/TRA"));
        Map<Integer, Map<Integer, Box>> fromTable = CtcFolder.boxesFromTable(ctc.resolve(CtcFolder.BOX_TABLE));
        assertEquals(fromTable.keySet(), fromMasks.keySet());
        for (int track : fromTable.keySet()) {
            assertEquals(fromTable.get(track).keySet(), fromMasks.get(track).keySet(), "track " + track);
            for (int f : fromTable.get(track).keySet()) {
                assertEquals(fromTable.get(track).get(f).toString(), fromMasks.get(track).get(f).toString(),
                        "track " + track + " frame " + f);
            }
        }
    }

    @Test
    void gowt1MarkersAreSmallerThanTheNucleiOfTheGoldSegmentation() throws Exception {
        Path ctc = SHARED.resolve("ctc_Fluo-N2DH-GOWT1_01");
        Map<Integer, Map<Integer, Box>> extents = CtcFolder.extentsFromSegmentation(ctc.resolve("01_GT"));
        int frames = extents.values().stream().mapToInt(Map::size).sum();
        // 30 segmented frames, only some nuclei segmented in each (an independent Python count gave the same)
        assertTrue(frames > 100 && frames < 300, frames + " track frames with a segmented nucleus");
        List<Sequence> full = SequenceFolders.read(ctc, 92);
        double[] ratio = ExtentReport.areaRatio(full);
        assertEquals(72, (int) ratio[1]); // frames after the first of the 18 full-length tracks with a segmented nucleus
        assertTrue(ratio[0] > 1.6 && ratio[0] < 2.1, "segmented nucleus box / marker box, median " + ratio[0]);
    }

    @Test
    void csrtOnCrossing() throws Exception {
        Cli r = Cli.run("--sequences", SHARED.resolve("otb_crossing").toString(), "--no-model", "--peers", "csrt",
                "--out", tmp.toString());
        assertEquals(0, r.code, r.err);
        String row = Files.readAllLines(tmp.resolve("scores.csv"), StandardCharsets.UTF_8).get(1);
        double auc = Double.parseDouble(row.split(",")[7]);
        // Debian's OpenCV 4.6 CSRT: 0.548 mean AUC over the three natural videos; Crossing is the easiest of them
        assertTrue(auc > 0.6, row);
    }
}
