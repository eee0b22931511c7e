package org.prdimp.fiji.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every ImageJ macro example of {@code macros/README.md} (its {@code ```ijm} blocks), run as written
 * by headless ImageJ with the example paths replaced by a real synthetic stack: each runs to its end
 * and prints what the README says it prints.
 */
class MacroExamplesTest {
    @TempDir
    Path tmp;

    static List<String> examples() throws Exception {
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        for (String line : Files.readAllLines(E2e.root().resolve("macros").resolve("README.md"))) {
            if (block == null && line.trim().equals("```ijm")) {
                block = new StringBuilder();
            } else if (block != null && line.trim().equals("```")) {
                blocks.add(block.toString());
                block = null;
            } else if (block != null) {
                block.append(line).append('\n');
            }
        }
        return blocks;
    }

    @Test
    void everyReadmeExampleRunsAsWritten() throws Exception {
        E2e.synthetic(tmp, "cells01", "--preset", "fast", "--frames", "8", "--objects", "2", "--seed", "3");
        List<String> examples = examples();
        assertEquals(4, examples.size(), "the examples of macros/README.md");
        String[] expected = {
            "8 rows; frame 5 at x=",
            "16 rows; track 1 on its first frame at x=",
            "8 rows, then 8 rows; frame 6 is an anchor: 1",
            "the Results table still holds 1 row(s), Area 42",
        };
        for (int i = 0; i < examples.size(); i++) {
            String code = examples.get(i).replace("/data/cells01.tif", tmp.resolve("cells01.tif").toString())
                    .replace("/data/cells01_tracks.csv", tmp.resolve("cells01_tracks.csv").toString());
            E2e.Run r = E2e.macro(Path.of(E2e.write(tmp, "example" + i + ".ijm", code)), null);
            assertEquals(0, r.code, "example " + (i + 1) + ":\n" + code + r.err);
            assertTrue(r.out.contains(expected[i]), "example " + (i + 1) + " printed:\n" + r.out);
        }
        assertEquals(8, E2e.readCsv(tmp.resolve("cells01_tracks.csv")).size(), "the first example's saved table: 8 frames");
        assertTrue(Files.exists(tmp.resolve("cells01_prdimp.csv")), "the last example's CSV next to the image");
    }
}
