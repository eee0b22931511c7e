package org.prdimp.fiji.bench;

import ij.VirtualStack;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

/**
 * A virtual ImageJ stack whose slices are rendered from a {@link Scene} when asked for: no file, no
 * pixels kept. Slice n (1-based) is frame n - 1.
 */
final class SceneStack extends VirtualStack {
    private final Scene scene;

    SceneStack(Scene scene) {
        super(scene.width, scene.height, scene.frames, "16-bit");
        this.scene = scene;
    }

    @Override
    public ImageProcessor getProcessor(int n) {
        return new ShortProcessor(scene.width, scene.height, render(n), null);
    }

    @Override
    public Object getPixels(int n) {
        return render(n);
    }

    private short[] render(int n) {
        if (n < 1 || n > scene.frames) {
            throw new IllegalArgumentException("slice " + n + " of a " + scene.frames + "-slice stack");
        }
        return scene.render(n - 1);
    }

    @Override
    public int getSize() {
        return scene.frames;
    }

    @Override
    public int size() {
        return scene.frames;
    }

    @Override
    public String getSliceLabel(int n) {
        return "frame " + (n - 1);
    }

    @Override
    public int getBitDepth() {
        return 16;
    }
}
