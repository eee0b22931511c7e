package org.prdimp.fiji.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.engine.TargetResult;
import org.prdimp.fiji.engine.TargetState;
import org.prdimp.fiji.engine.TrackState;

/** How the results file is written: beside the target, moved into place at the end, never half-replaced. */
class ResultsCsvTest {
    @TempDir
    Path tmp;

    private static List<TargetResult> frame(int f) {
        return List.of(new TargetResult(0, f, new Box(10 + f, 20, 8, 8), 0.9, 1.5, 1.5, TargetState.TRACKED, 0.3, TrackState.NORMAL));
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.sorted().collect(Collectors.toList());
        }
    }

    @Test
    void theTargetIsUntouchedUntilACompleteRunMovesItIntoPlace() throws IOException {
        Path csv = tmp.resolve("results.csv");
        Files.writeString(csv, "earlier results\n");
        Files.setPosixFilePermissions(csv, PosixFilePermissions.fromString("rw-rw-r--"));
        try (ResultsCsv out = new ResultsCsv(csv)) {
            out.frameTracked(0, frame(0));
            out.frameTracked(1, frame(1));
            assertEquals("earlier results\n", Files.readString(csv), "the earlier file stays while tracking runs");
            assertEquals(2, files().size(), "the rows go to a temporary file beside it: " + files());
            assertEquals(csv, out.finish(true));
        }
        List<String> lines = Files.readAllLines(csv);
        assertEquals(List.of(ResultsCsv.HEADER, ResultsCsv.row(frame(0).get(0)), ResultsCsv.row(frame(1).get(0))), lines);
        assertEquals(List.of(csv), files(), "no temporary file left");
        assertEquals("rw-rw-r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(csv)), "permissions kept");
    }

    @Test
    void anIncompleteRunGoesToThePartialNameAndKeepsTheEarlierFile() throws IOException {
        Path csv = tmp.resolve("results.csv");
        Files.writeString(csv, "earlier complete results\n");
        try (ResultsCsv out = new ResultsCsv(csv)) {
            out.frameTracked(0, frame(0));
            out.frameTracked(1, frame(1));
            out.frameTracked(2, frame(2));
        } // closed without finish(true): cancelled or failed
        assertEquals("earlier complete results\n", Files.readString(csv));
        Path partial = tmp.resolve("results.partial.csv");
        assertEquals(1 + 3, Files.readAllLines(partial).size());
        assertEquals(List.of(csv, partial), files());
        assertEquals(tmp.resolve("tracks.partial"), ResultsCsv.partialName(tmp.resolve("tracks")));
    }

    @Test
    void aRunWithoutAnyFrameLeavesNothing() throws IOException {
        Path csv = tmp.resolve("sub/results.csv");
        try (ResultsCsv out = new ResultsCsv(csv)) {
            assertNull(out.finish(false));
        }
        assertEquals(List.of(), Files.list(tmp.resolve("sub")).collect(Collectors.toList()));
    }

    @Test
    void aFolderIsNotAResultsFile() throws IOException {
        IOException e = assertThrows(IOException.class, () -> new ResultsCsv(tmp));
        assertTrue(e.getMessage().contains("is a folder"), e.getMessage());
        assertFalse(Files.list(tmp).findAny().isPresent());
    }
}
