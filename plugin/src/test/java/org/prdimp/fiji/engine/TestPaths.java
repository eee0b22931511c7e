package org.prdimp.fiji.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locations of repository files for tests (the build passes the repository root). */
public final class TestPaths {
    private TestPaths() {}

    public static Path repoRoot() {
        String root = System.getProperty("prdimp.repo.root");
        Path p = root != null ? Paths.get(root) : Paths.get("").toAbsolutePath().getParent();
        if (!Files.isDirectory(p.resolve("models"))) {
            throw new IllegalStateException("cannot find the repository root (models/) from " + p);
        }
        return p;
    }

    public static Path models() {
        return repoRoot().resolve("models");
    }

    /** A committed model folder (models/NAME), read; for field initialisers (no checked exception). */
    public static ModelFolder modelFolder(String name) {
        try {
            return ModelFolder.open(models().resolve(name));
        } catch (ModelException e) {
            throw new IllegalStateException(e);
        }
    }
}
