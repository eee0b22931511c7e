package org.prdimp.fiji.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.List;

import ij.IJ;
import ij.Menus;
import ij.macro.Interpreter;

import org.prdimp.fiji.command.MacroErrors;

/**
 * Runs an ImageJ macro headlessly, the way Fiji's headless mode does: ImageJ 1.x patched by
 * {@code ij1-patcher} (done by {@link MacroCommand} before any ImageJ class loads), batch mode on, the
 * commands of every {@code plugins.config} on the class path installed (so {@code run("PrDiMP Track")}
 * works). Only loaded after the patching.
 */
final class HeadlessMacro {
    /** How a macro ended. */
    static final class Ending {
        final String error;     // null: the macro ran to its end
        final boolean badInput; // the error was PrDiMP Track's bad-input message

        Ending(String error, boolean badInput) {
            this.error = error;
            this.badInput = badInput;
        }
    }

    private HeadlessMacro() {
    }

    static Ending run(Path file, String arg) throws IOException {
        String code = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        installCommands();
        Interpreter.batchMode = true;
        Interpreter interp = new Interpreter();
        MacroErrors.take();
        MacroErrors.collect(true);
        try {
            interp.run(code, arg);
        } catch (RuntimeException e) {
            if (!ij.Macro.MACRO_CANCELED.equals(e.getMessage())) {
                return new Ending(file.getFileName() + ": " + e, false);
            }
        }
        boolean badInput = MacroErrors.badInput();
        String ours = MacroErrors.take();
        if (ours != null) {
            return new Ending(ours, badInput);
        }
        if (interp.wasError()) {
            String where = interp.getErrorMessage();
            return new Ending(file.getFileName() + ": " + (where == null || where.isEmpty() ? "macro error" : oneLine(where)),
                    false);
        }
        return new Ending(null, false);
    }

    private static String oneLine(String s) {
        return s.trim().replaceAll("\\s*[\\r\\n]+\\s*", "; ");
    }

    /** ImageJ's command table, with the commands of every plugins.config on the class path added. */
    @SuppressWarnings("unchecked")
    static void installCommands() throws IOException {
        if (Menus.getCommands() == null) {
            try {
                Method init = IJ.class.getDeclaredMethod("init");
                init.setAccessible(true);
                init.invoke(null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IOException("cannot set up ImageJ's command table headless (" + e + ")", e);
            }
        }
        Hashtable<String, String> commands = Menus.getCommands();
        if (commands == null) {
            throw new IOException("ImageJ's command table is missing after set-up");
        }
        Enumeration<URL> configs = HeadlessMacro.class.getClassLoader().getResources("plugins.config");
        while (configs.hasMoreElements()) {
            URL url = configs.nextElement();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    String[] entry = parseEntry(line);
                    if (entry != null) {
                        commands.putIfAbsent(entry[0], entry[1]);
                    }
                }
            }
        }
    }

    /** {@code Menu>Sub, "Label", class.Name("arg")} -> {label, class.Name("arg")}; null for comments and blank lines. */
    static String[] parseEntry(String line) {
        String t = line.trim();
        if (t.isEmpty() || t.startsWith("#")) {
            return null;
        }
        int open = t.indexOf('"');
        int close = open < 0 ? -1 : t.indexOf('"', open + 1);
        if (close < 0) {
            return null;
        }
        String label = t.substring(open + 1, close);
        String rest = t.substring(close + 1).trim();
        if (!rest.startsWith(",")) {
            return null;
        }
        List<String> out = new ArrayList<>();
        out.add(label);
        out.add(rest.substring(1).trim());
        return out.toArray(new String[0]);
    }
}
