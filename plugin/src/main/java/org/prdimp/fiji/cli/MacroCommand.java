package org.prdimp.fiji.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * {@code prdimp macro FILE.ijm [ARG]}: runs an ImageJ macro headlessly with the plugin installed
 * ({@code getArgument()} returns ARG). Exit codes: 0 the macro ran to its end; 2 wrong use, or PrDiMP
 * Track refused its input; 1 the macro failed (a macro error, or tracking stopped by a failure).
 * This class loads no ImageJ class before ImageJ is patched.
 */
final class MacroCommand {
    private MacroCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
        if (args.length < 2 || args.length > 3 || args[1].startsWith("--")) {
            throw new UsageException("macro needs the macro file and at most one argument: prdimp macro FILE.ijm [ARG]");
        }
        Path file = Paths.get(args[1]);
        if (!Files.isRegularFile(file)) {
            throw new UsageException("macro file " + file + " does not exist; give the path of an ImageJ macro (.ijm)");
        }
        String arg = args.length == 3 ? args[2] : "";
        System.setProperty("java.awt.headless", "true"); // before anything asks AWT
        HeadlessPatch.apply();
        HeadlessMacro.Ending ending;
        try {
            ending = HeadlessMacro.run(file, arg);
        } catch (IOException e) {
            err.println("prdimp: error: cannot run " + file + ": " + e.getMessage());
            return 1;
        }
        if (ending.error != null) {
            err.println("prdimp: error: " + ending.error);
            return ending.badInput ? 2 : 1;
        }
        return 0;
    }
}
