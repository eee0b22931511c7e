package org.prdimp.fiji.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.InputStream;

import org.junit.jupiter.api.Test;

/** The Java check runs on Java 8: its classes are version 52; Java 8 gets the message, 11+ none. */
class JavaVersionTest {
    @Test
    void launcherClassesAreJava8BytecodeAndTheRestJava11() throws Exception {
        assertEquals(52, major("org/prdimp/fiji/launch/JavaVersion.class"));
        assertEquals(52, major("org/prdimp/fiji/launch/PrdimpTrackLauncher.class"));
        assertEquals(55, major("org/prdimp/fiji/command/PrdimpTrack.class"));
        assertTrue(new String(getClass().getResourceAsStream("/plugins.config").readAllBytes(), "UTF-8")
                .contains("\"PrDiMP Track\", org.prdimp.fiji.launch.PrdimpTrackLauncher"), "the menu entry is the Java 8 launcher");
    }

    @Test
    void java8GetsTheMessageJava11AndNewerNone() {
        assertEquals(8, JavaVersion.major("1.8"));
        assertEquals(11, JavaVersion.major("11"));
        assertEquals(21, JavaVersion.major("21"));
        assertEquals("PrDiMP needs Java 11 or newer, and this Fiji runs Java 1.8.0_392 (/opt/Fiji.app/java/jre). Get the current"
                + " Fiji from https://fiji.sc (it comes with its own Java 21), install PrDiMP there (README: Install in Fiji) and start"
                + " that Fiji.", JavaVersion.problem("1.8", "1.8.0_392", "/opt/Fiji.app/java/jre"));
        assertNull(JavaVersion.problem("11", "11.0.2", "x"));
        assertNull(JavaVersion.problem());
    }

    private static int major(String resource) throws Exception {
        try (InputStream in = JavaVersionTest.class.getClassLoader().getResourceAsStream(resource);
                DataInputStream d = new DataInputStream(in)) {
            assertEquals(0xCAFEBABE, d.readInt());
            d.readUnsignedShort();
            return d.readUnsignedShort();
        }
    }
}
