package org.prdimp.fiji.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A second run on the same machine is told that the cores are shared; a run that ended or died is not counted. */
class SharedCoresTest {
    /** Holds a registration until its standard input closes (the other process of the test). */
    public static void main(String[] args) throws Exception {
        try (SharedCores held = SharedCores.register()) {
            System.out.println("registered");
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the test to close our input
            }
        }
    }

    @Test
    void runsInThisJvmCountEachOther() {
        try (SharedCores first = SharedCores.register()) {
            try (SharedCores second = SharedCores.register()) {
                assertEquals(first.others() + 1, second.others());
                assertTrue(second.note().contains("cores are shared"), second.note());
            }
            try (SharedCores third = SharedCores.register()) {
                assertEquals(first.others() + 1, third.others(), "the closed run no longer counts");
            }
        }
    }

    @Test
    void aRunInAnotherProcessIsCountedUntilItEndsOrDies() throws Exception {
        int before;
        try (SharedCores alone = SharedCores.register()) {
            before = alone.others(); // other people's runs on this machine, if any
        }
        Process p = new ProcessBuilder(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), SharedCoresTest.class.getName())).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("registered", r.readLine());
            try (SharedCores mine = SharedCores.register()) {
                assertTrue(mine.others() >= before + 1, mine.others() + " other run(s), " + before + " before");
                assertTrue(mine.note() != null);
            }
        } finally {
            p.destroyForcibly(); // dies without closing: the operating system releases its lock
            p.waitFor();
        }
        try (SharedCores after = SharedCores.register()) {
            assertTrue(after.others() <= before, "a dead run is not counted: " + after.others());
            if (after.others() == 0) {
                assertNull(after.note());
            }
        }
    }
}
