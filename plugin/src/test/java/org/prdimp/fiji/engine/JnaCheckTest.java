package org.prdimp.fiji.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every jna*.jar in a Fiji's jars/ is checked, not only the first (JNA and jna-platform, sub-folders too). */
class JnaCheckTest {
    @TempDir
    Path tmp;

    @Test
    void everyOldJnaJarIsListed() throws Exception {
        Path jars = Files.createDirectories(tmp.resolve("jars/linux64"));
        for (String name : new String[] {"jars/jna-5.14.0.jar", "jars/jna-4.5.2.jar", "jars/jna-platform-4.5.2.jar",
                "jars/jna-platform-5.14.0.jar", "jars/linux64/jna-5.5.0.jar", "jars/jnaerator-0.12.jar"}) {
            Files.createFile(tmp.resolve(name));
        }
        assertEquals(List.of("jars/jna-4.5.2.jar", "jars/jna-platform-4.5.2.jar", "jars/linux64/jna-5.5.0.jar"), JnaCheck.oldJars(tmp));
        assertEquals(List.of(), JnaCheck.oldJars(tmp.resolve("no-such-fiji")));
        assertEquals(jars.getParent(), tmp.resolve("jars"));
    }
}
