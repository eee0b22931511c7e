package org.prdimp.fiji.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --model DIR[@key=value,...]}: the folder and the tracker parameters replaced in it. */
class EvalOptionsTest {
    @TempDir
    Path tmp;

    private static EvalOptions parse(String... models) {
        String[] args = new String[models.length + 5];
        args[0] = "--procedural";
        args[1] = "1";
        args[2] = "--model";
        System.arraycopy(models, 0, args, 3, models.length);
        args[args.length - 2] = "--out";
        args[args.length - 1] = "out/x";
        return EvalOptions.parse(args, 0);
    }

    @Test
    void modelValuesSplitIntoFolderAndOverrides() throws Exception {
        Path odd = Files.createDirectories(tmp.resolve("runs@2026/model"));
        EvalOptions o = parse("models/default", "models/default@box_refinement=false",
                "models/default@search_area_scale=4,motion_prior_sigma=0.5", odd.toString(),
                odd + "@box_refinement_size_rate=0.5");
        List<ModelSpec> m = o.models;
        assertEquals(5, m.size());
        assertEquals(Paths.get("models/default"), m.get(0).folder);
        assertEquals(Map.of(), m.get(0).overrides);
        assertEquals(Paths.get("models/default"), m.get(1).folder);
        assertEquals(Map.of("box_refinement", "false"), m.get(1).overrides);
        assertEquals(List.of("search_area_scale", "motion_prior_sigma"), List.copyOf(m.get(2).overrides.keySet()));
        assertEquals("0.5", m.get(2).overrides.get("motion_prior_sigma"));
        assertEquals("models/default@search_area_scale=4,motion_prior_sigma=0.5", m.get(2).toString());
        assertEquals(odd, m.get(3).folder); // an '@' inside the path is part of the folder
        assertEquals(Map.of(), m.get(3).overrides);
        assertEquals(odd, m.get(4).folder); // only the last '@' with key=value pairs after it splits
        assertEquals(Map.of("box_refinement_size_rate", "0.5"), m.get(4).overrides);
        // a folder path whose last '@' is followed by a path, not by pairs
        assertEquals(Paths.get("a@v=2/model"), parse("a@v=2/model").models.get(0).folder);
    }

    @Test
    void badOverridesAreOneLineNamingTheValue() {
        assertRefused("--model models/default@box_refinment=false: unknown tracker parameter 'box_refinment'; known: ",
                "models/default@box_refinment=false");
        assertRefused("--model models/default@box_refinement=off: the tracker parameter box_refinement must be true or"
                + " false, not 'off'", "models/default@box_refinement=off");
        assertRefused("--model models/default@update_interval=2.5: the tracker parameter update_interval must be a whole"
                + " number, not '2.5'", "models/default@update_interval=2.5");
        assertRefused("--model models/default@search_area_scale=4,search_area_scale=5: the tracker parameter"
                + " search_area_scale is given twice", "models/default@search_area_scale=4,search_area_scale=5");
        assertRefused("--model models/default@box_refinement is not a folder, and what follows its last '@' is not"
                + " tracker parameters: give them as DIR@key=value[,key=value...], e.g. models/default@box_refinement=false",
                "models/default@box_refinement");
        assertRefused("--model models/default@crop_size=256: the tracker parameter crop_size is fixed by the network's",
                "models/default@crop_size=256");
    }

    private static void assertRefused(String start, String model) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(model));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
}
