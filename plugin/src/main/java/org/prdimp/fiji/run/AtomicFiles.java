package org.prdimp.fiji.run;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a whole file beside its target and moves it into place atomically, so that the target is
 * either the earlier file or the complete new one, never a half-written one.
 */
public final class AtomicFiles {
    /** Writes the file at the path it is given; false or an exception when it could not. */
    public interface Writer {
        boolean write(Path file) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes {@code target} through {@code writer} into a temporary file beside it (same extension,
     * so that writers that go by the name still work), then moves it into place.
     *
     * @throws IOException when the writer fails or the move does; the target is then unchanged
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        String name = abs.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot > 0 ? name.substring(dot) : "";
        Path temp = Files.createTempFile(abs.getParent(), "." + (dot > 0 ? name.substring(0, dot) : name) + ".", ".tmp" + ext);
        try {
            if (!writer.write(temp)) {
                throw new IOException("cannot write " + target);
            }
            try {
                Files.move(temp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
