package org.prdimp.fiji.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file is replaced whole or not at all. */
class AtomicFilesTest {
    @Test
    void aFailedWriteLeavesTheEarlierFileAndNoTemporaryFile(@TempDir Path tmp) throws IOException {
        Path target = tmp.resolve("summary.txt");
        Files.writeString(target, "earlier");
        assertThrows(IOException.class, () -> AtomicFiles.write(target, f -> {
            Files.writeString(f, "half");
            throw new IOException("No space left on device");
        }));
        assertThrows(IOException.class, () -> AtomicFiles.write(target, f -> false));
        assertEquals("earlier", Files.readString(target));
        assertEquals(List.of(target), Files.list(tmp).collect(Collectors.toList()));
        AtomicFiles.write(target, f -> {
            assertEquals(".txt", f.getFileName().toString().substring(f.getFileName().toString().lastIndexOf('.')));
            Files.writeString(f, "new");
            return true;
        });
        assertEquals("new", Files.readString(target));
        assertEquals(List.of(target), Files.list(tmp).collect(Collectors.toList()));
    }
}
