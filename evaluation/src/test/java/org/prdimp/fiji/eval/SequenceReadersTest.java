package org.prdimp.fiji.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prdimp.fiji.engine.Box;

/** The sequence readers on small folders written here in each layout. */
class SequenceReadersTest {
    @TempDir
    Path tmp;

    private static double[] values(Box b) {
        return new double[] {b.x, b.y, b.w, b.h};
    }

    @Test
    void otbAnySeparatorFramesInImgOrInTheFolder() throws Exception {
        Path a = tmp.resolve("group/seqA");
        Fixtures.frames(a.resolve("img"), "%04d.png", 3);
        Fixtures.text(a.resolve("groundtruth_rect.txt"), "1,2,10,12\n2\t3\t10\t12\n3 4  10 12\n");
        Path b = tmp.resolve("group/seqB");
        Fixtures.frames(b, "%04d.png", 2);
        Fixtures.text(b.resolve("groundtruth_rect.txt"), "5.5,6,7,8\r\n6,6,7,8\r\n");
        List<Sequence> seqs = SequenceFolders.read(tmp.resolve("group"), 40);
        assertEquals(2, seqs.size());
        Sequence sa = seqs.get(0);
        assertEquals("seqA", sa.name);
        assertEquals("group", sa.group);
        assertEquals(a.resolve("img"), sa.input);
        assertEquals(3, sa.length());
        assertArrayEquals(new double[] {2, 3, 10, 12}, values(sa.truth[1]));
        assertArrayEquals(new double[] {3, 4, 10, 12}, values(sa.truth[2]));
        assertEquals(b, seqs.get(1).input);
        assertArrayEquals(new double[] {5.5, 6, 7, 8}, values(seqs.get(1).initialBox()));
    }

    @Test
    void otbPolygonLinesBecomeBoundingBoxes() throws Exception {
        Path a = tmp.resolve("vot");
        Fixtures.frames(a.resolve("imgs"), "%08d.png", 2);
        Fixtures.text(a.resolve("groundtruth_rect.txt"), "1,2,10,12\n5,1,9,5,5,9,1,5\n");
        Sequence s = SequenceFolders.read(a, 40).get(0);
        assertArrayEquals(new double[] {1, 1, 8, 8}, values(s.truth[1]));
    }

    @Test
    void frameAndBoxCountsMustAgree() throws Exception {
        Path a = tmp.resolve("bad");
        Fixtures.frames(a.resolve("img"), "%04d.png", 3);
        Fixtures.text(a.resolve("groundtruth_rect.txt"), "1,2,10,12\n2,3,10,12\n");
        SequenceException e = assertThrows(SequenceException.class, () -> SequenceFolders.read(a, 40));
        assertTrue(e.getMessage().contains("3 frames but 2 ground-truth boxes"), e.getMessage());
        Fixtures.text(a.resolve("groundtruth_rect.txt"), "1,2,10,12\n2,3,x,12\n1,1,1,1\n");
        e = assertThrows(SequenceException.class, () -> SequenceFolders.read(a, 40));
        assertTrue(e.getMessage().contains("line 2: 'x' is not a number"), e.getMessage());
    }

    @Test
    void lasotOcclusionAndOutOfViewAreNotScored() throws Exception {
        Path a = tmp.resolve("airplane/airplane-1");
        Fixtures.frames(a.resolve("img"), "%08d.png", 4);
        Fixtures.text(a.resolve("groundtruth.txt"), "1,2,10,12\n2,3,10,12\n3,4,10,12\n4,5,10,12\n");
        Fixtures.text(a.resolve("full_occlusion.txt"), "0,0,1,0");
        Fixtures.text(a.resolve("out_of_view.txt"), "0,0,0,1");
        List<Sequence> seqs = SequenceFolders.read(tmp.resolve("airplane"), 40);
        assertEquals(1, seqs.size());
        Sequence s = seqs.get(0);
        assertEquals("airplane-1", s.name);
        assertEquals(a.resolve("img"), s.input);
        assertArrayEquals(new double[] {2, 3, 10, 12}, values(s.truth[1]));
        assertNull(s.truth[2]);
        assertNull(s.truth[3]);
    }

    @Test
    void got10kAbsenceAndZeroBoxes() throws Exception {
        Path a = tmp.resolve("val/GOT-10k_Val_000001");
        Fixtures.frames(a, "%08d.png", 3);
        Fixtures.text(a.resolve("groundtruth.txt"), "1.0,2.0,10.0,12.0\n0,0,0,0\n3,4,10,12\n");
        Fixtures.text(a.resolve("absence.label"), "0\n1\n0\n");
        Fixtures.text(a.resolve("cover.label"), "8\n0\n8\n");
        Sequence s = SequenceFolders.read(tmp.resolve("val"), 40).get(0);
        assertEquals(a, s.input);
        assertNull(s.truth[1]);
        assertArrayEquals(new double[] {3, 4, 10, 12}, values(s.truth[2]));
        // the test split: a box for the first frame only
        Fixtures.text(a.resolve("groundtruth.txt"), "1,2,10,12\n");
        SequenceException e = assertThrows(SequenceException.class, () -> SequenceFolders.read(a, 40));
        assertTrue(e.getMessage().contains("first frame only"), e.getMessage());
    }

    /** A CTC folder: frames 01/t000..t005, TRA masks where label 1 is present in frames 0-5, label 2 in 0-1 and 3-5. */
    private Path ctcFolder() throws Exception {
        Path root = tmp.resolve("ctc");
        Fixtures.frames(root.resolve("01"), "t%03d.png", 6);
        Path tra = root.resolve("01_GT/TRA");
        for (int f = 0; f < 6; f++) {
            int[] one = {1, 2 + f, 3, 5, 4};
            int[] two = {2, 20, 10 + f, 3, 6};
            Path file = tra.resolve(String.format("man_track%03d.tif", f));
            if (f == 2) {
                Fixtures.mask(file, one);
            } else {
                Fixtures.mask(file, one, two);
            }
        }
        Fixtures.text(tra.resolve("man_track.txt"), "1 0 5 0\n2 0 5 0\n");
        return root;
    }

    @Test
    void ctcFromMasksOneSequencePerContiguousRun() throws Exception {
        Path root = ctcFolder();
        // the frames of a fixture are .png; CTC's are tTTT.tif: the reader takes any image folder
        Map<Integer, Map<Integer, Box>> boxes = CtcFolder.boxesFromMasks(root.resolve("01_GT/TRA"));
        assertArrayEquals(new double[] {4, 3, 5, 4}, values(boxes.get(1).get(2)));
        assertArrayEquals(new double[] {20, 13, 3, 6}, values(boxes.get(2).get(3)));
        assertEquals(5, boxes.get(2).size());
        List<Sequence> seqs = SequenceFolders.read(root, 3);
        assertEquals(2, seqs.size()); // track 1 (0-5) and track 2's run 3-5; its run 0-1 is too short
        assertEquals("ctc/01/track1", seqs.get(0).name);
        assertNull(seqs.get(0).extent); // no gold segmentation (SEG) in this folder
        assertTrue(CtcFolder.extentsFromSegmentation(root.resolve("01_GT")).isEmpty());
        assertEquals(0, seqs.get(0).first);
        assertEquals(5, seqs.get(0).last);
        assertEquals("ctc/01/track2@3", seqs.get(1).name);
        assertEquals(3, seqs.get(1).first);
        assertArrayEquals(new double[] {20, 13, 3, 6}, values(seqs.get(1).initialBox()));
        assertEquals(root.resolve("01"), seqs.get(1).input);
        assertEquals(1, SequenceFolders.read(root, 4).size());
    }

    @Test
    void ctcFromTheBoxTable() throws Exception {
        Path root = ctcFolder();
        StringBuilder csv = new StringBuilder("track_id,frame,x,y,w,h,cx,cy,area_px\n");
        for (int f = 0; f < 6; f++) {
            csv.append("7,").append(f).append(',').append(10 + f).append(",5,6,7,0,0,0\n");
        }
        Fixtures.text(root.resolve(CtcFolder.BOX_TABLE), csv.toString());
        List<Sequence> seqs = SequenceFolders.read(root, 6);
        assertEquals(1, seqs.size());
        assertEquals("ctc/01/track7", seqs.get(0).name);
        assertArrayEquals(new double[] {15, 5, 6, 7}, values(seqs.get(0).truth[5]));
    }

    /**
     * The fixture's CTC folder with a gold segmentation: frame 1, one object under both markers (neither gets it);
     * frame 4, an object around each marker; frame 5, an object under a quarter of marker 1 only.
     */
    private Path ctcFolderWithSegmentation() throws Exception {
        Path root = ctcFolder();
        Path seg = root.resolve("01_GT/SEG");
        Fixtures.mask(seg.resolve("man_seg001.tif"), new int[] {3, 0, 0, 30, 20});
        Fixtures.mask(seg.resolve("man_seg004.tif"), new int[] {7, 4, 1, 9, 8}, new int[] {9, 18, 13, 7, 9});
        Fixtures.mask(seg.resolve("man_seg005.tif"), new int[] {5, 7, 3, 5, 1});
        return root;
    }

    @Test
    void ctcExtentsFromTheGoldSegmentation() throws Exception {
        Path root = ctcFolderWithSegmentation();
        Map<Integer, Map<Integer, Box>> extents = CtcFolder.extentsFromSegmentation(root.resolve("01_GT"));
        assertEquals(Map.of(4, "4.00,1.00,9.00,8.00"), Map.of(4, extents.get(1).get(4).toString()));
        assertEquals(1, extents.get(1).size(), extents.toString()); // frame 1 shared, frame 5 under a quarter
        assertEquals("18.00,13.00,7.00,9.00", extents.get(2).get(4).toString());
        assertEquals(1, extents.get(2).size(), extents.toString());
        List<Sequence> seqs = SequenceFolders.read(root, 3);
        Sequence one = seqs.get(0);
        assertTrue(one.hasExtent());
        assertNull(one.extent[1]);
        assertArrayEquals(new double[] {4, 1, 9, 8}, values(one.extent[4]));
        Sequence two = seqs.get(1); // track 2's run 3-5: its frame 4 is index 1
        assertArrayEquals(new double[] {18, 13, 7, 9}, values(two.extent[1]));
        // the view: same frames and start box, the extents as truth, its own group
        Sequence view = one.extentView();
        assertEquals("ctc vs segmentation", view.group);
        assertArrayEquals(values(one.initialBox()), values(view.initialBox()));
        assertArrayEquals(new double[] {4, 1, 9, 8}, values(view.truth[4]));
        assertNull(view.truth[2]);
    }

    @Test
    void extentsAreScoredInTheirOwnSection() throws Exception {
        Path root = ctcFolderWithSegmentation();
        Path out = tmp.resolve("report");
        Cli r = Cli.run("--sequences", root.toString(), "--min-track-frames", "3", "--no-model", "--peers", "static",
                "--out", out.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("static                 vs segmentation, 2 sequences, 2 frames: AUC "), r.out);
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("## Against the object's whole extent (gold segmentation)"), report);
        // frame 4: marker 1 box 6,3,5,4 and marker 2 box 20,14,3,6 -> extents 9x8 and 7x9: ratios 3.6 and 3.5
        assertTrue(report.contains("boxes have 3.55 times the area of the marker boxes (median over 2 frames)"), report);
        assertTrue(report.contains("### ctc vs segmentation: 2 sequences"), report);
        List<String> rows = Files.readAllLines(out.resolve("scores.csv"));
        assertEquals(1 + 2 + 2, rows.size(), rows.toString());
        for (String row : rows.subList(3, 5)) {
            String[] f = row.split(",");
            assertEquals("ctc vs segmentation", f[1], row);
            assertEquals(1, Integer.parseInt(f[5]), row); // one extent frame per sequence
        }
        // the static box (track 1: 2,3,5,4 from frame 0) against the extent 4,1,9,8 at frame 4: IoU 12/80 with
        // inclusive pixel corners = 0.15 -> AUC = share of the 21 thresholds below it (0, 0.05, 0.1) = 3/21
        assertEquals(3 / 21.0, Double.parseDouble(rows.get(3).split(",")[7]), 1e-4, rows.get(3));
    }

    @Test
    void contiguousRuns() {
        List<int[]> runs = CtcFolder.runs(List.of(0, 1, 2, 4, 5, 9), 2);
        assertEquals(2, runs.size());
        assertArrayEquals(new int[] {0, 2}, runs.get(0));
        assertArrayEquals(new int[] {4, 5}, runs.get(1));
    }

    @Test
    void aFolderWithoutSequencesSaysWhatItExpects() throws Exception {
        Fixtures.frames(tmp.resolve("empty/img"), "%04d.png", 2);
        SequenceException e = assertThrows(SequenceException.class, () -> SequenceFolders.read(tmp.resolve("empty"), 40));
        assertTrue(e.getMessage().contains("holds no sequence"), e.getMessage());
    }
}
