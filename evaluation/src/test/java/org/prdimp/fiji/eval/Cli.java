package org.prdimp.fiji.eval;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Runs {@code prdimp eval} in this JVM and keeps what it printed. */
final class Cli {
    final int code;
    final String out;
    final String err;

    private Cli(int code, String out, String err) {
        this.code = code;
        this.out = out;
        this.err = err;
    }

    static Cli run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = EvalMain.run(args, "./prdimp eval", o, e);
        }
        return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The repository's models folder (set by the build: prdimp.models.dir). */
    static Path models() {
        return Paths.get(System.getProperty("prdimp.models.dir", "../models"));
    }

    /** The shared sequences beside the repository, {@code ../shared/data/sequences}. */
    static Path sharedSequences() {
        return Paths.get(System.getProperty("prdimp.repo.root", "..")).resolve("../shared/data/sequences").normalize();
    }
}
