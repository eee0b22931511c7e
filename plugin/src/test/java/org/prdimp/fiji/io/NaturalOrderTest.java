package org.prdimp.fiji.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class NaturalOrderTest {
    @Test
    void numbersCompareByValue() {
        List<String> want = Arrays.asList("frame1.png", "frame2.png", "Frame3.png", "frame10.png", "frame12a.png",
                "frame12b.png", "frame100.png", "t000.tif", "t001.tif", "t010.tif", "t99999999999999999999.tif", "z.tif");
        List<String> names = new ArrayList<>(want);
        Collections.reverse(names);
        names.sort(NaturalOrder.INSTANCE);
        assertEquals(want, names);
    }

    @Test
    void consistentForEqualValues() {
        assertEquals(0, NaturalOrder.INSTANCE.compare("a1", "a1"));
        assertEquals(-1, Integer.signum(NaturalOrder.INSTANCE.compare("a1", "a01")));
        assertEquals(-1, Integer.signum(NaturalOrder.INSTANCE.compare("a", "a1")));
    }
}
