package org.prdimp.fiji.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds the bundled model: {@code default/} (the trained default model) in the models folder, else
 * {@code compact-init/} (the project's compact network, untrained) with a note saying so. The models
 * folder is the system property {@code prdimp.models.dir} (set by the {@code ./prdimp} script), else
 * {@code models/} in the working directory. Public for the other front ends (the evaluation harness).
 */
public final class ModelLocator {
    static final String DEFAULT = "default";
    static final String UNTRAINED = "compact-init";

    private ModelLocator() {
    }

    public static Path modelsDir() {
        String dir = System.getProperty("prdimp.models.dir");
        return dir != null ? Paths.get(dir) : Paths.get("models");
    }

    /** The bundled model folder (it may not exist: opening it then explains). */
    public static Path bundled() {
        Path trained = modelsDir().resolve(DEFAULT);
        return Files.isDirectory(trained) ? trained : modelsDir().resolve(UNTRAINED);
    }

    /** A note when the bundled model is the untrained one; null otherwise. */
    public static String note(Path model) {
        if (model.normalize().endsWith(UNTRAINED)) {
            return "the trained default model (models/" + DEFAULT + ") is not there yet: using the project's compact model as"
                    + " it stands (untrained network; the online classifier tracks, the box keeps its size)";
        }
        return null;
    }
}
