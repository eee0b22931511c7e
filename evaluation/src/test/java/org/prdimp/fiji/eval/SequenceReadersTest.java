package org.prdimp.fiji.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
