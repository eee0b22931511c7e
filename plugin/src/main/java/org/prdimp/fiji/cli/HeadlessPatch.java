package org.prdimp.fiji.cli;

import net.imagej.patcher.LegacyInjector;

/**
 * Patches ImageJ 1.x for headless use with {@code net.imagej:ij1-patcher}, as Fiji's
 * {@code --headless} does (generic dialogs read macro options instead of showing). Must run before any
 * ImageJ class is loaded, with {@code java.awt.headless=true}.
 */
final class HeadlessPatch {
    private HeadlessPatch() {
    }

    static void apply() {
        LegacyInjector.preinit();
    }
}
