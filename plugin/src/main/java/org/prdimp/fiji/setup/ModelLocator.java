package org.prdimp.fiji.setup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds the bundled model: {@code default/} (the trained default model) in the models folder, else
 * {@code compact-init/} (the project's compact network, untrained) with a note saying so. The models
 * folder is the system property {@code prdimp.models.dir} (set by the {@code ./prdimp} script), else
 * {@code models/} in the working directory when it holds a model, else {@code models/prdimp/} in the
 * application folder of a Fiji installation ({@code scijava.app.directory}, else ImageJ's
 * {@code ij.dir}), where {@code ./prdimp install-fiji} puts it.
 */
public final class ModelLocator {
    public static final String DEFAULT = "default";
    public static final String UNTRAINED = "compact-init";
    /** Where the models go inside a Fiji installation. */
    public static final String IN_FIJI = "models/prdimp";

    private ModelLocator() {
    }

    public static Path modelsDir() {
        String dir = System.getProperty("prdimp.models.dir");
        if (dir != null) {
            return Paths.get(dir);
        }
        Path local = Paths.get("models");
        if (holdsModel(local)) {
            return local;
        }
        for (String property : new String[] {"scijava.app.directory", "ij.dir"}) {
            String app = System.getProperty(property);
            if (app != null && holdsModel(Paths.get(app).resolve(IN_FIJI))) {
                return Paths.get(app).resolve(IN_FIJI);
            }
        }
        return local;
    }

    private static boolean holdsModel(Path dir) {
        return Files.isDirectory(dir.resolve(DEFAULT)) || Files.isDirectory(dir.resolve(UNTRAINED));
    }

    /** The bundled model folder (it may not exist: opening it then explains). */
    public static Path bundled() {
        Path trained = modelsDir().resolve(DEFAULT);
        return Files.isDirectory(trained) ? trained : modelsDir().resolve(UNTRAINED);
    }

    /** A note when the model is the untrained one; null otherwise. */
    public static String note(Path model) {
        Path folder = model.normalize();
        if (!folder.endsWith(UNTRAINED)) {
            return null;
        }
        String what = "the project's compact model as it stands (untrained network; the online classifier tracks,"
                + " the box keeps its size)";
        Path parent = folder.getParent();
        if (parent != null && Files.isDirectory(parent.resolve(DEFAULT))) {
            return "using " + what + "; the trained default model is " + parent.resolve(DEFAULT);
        }
        return "the trained default model (models/" + DEFAULT + ") is not there: using " + what;
    }
}
