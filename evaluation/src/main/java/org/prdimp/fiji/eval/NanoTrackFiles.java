package org.prdimp.fiji.eval;

import java.nio.file.Files;
import java.nio.file.Path;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_video.Tracker;
import org.bytedeco.opencv.opencv_video.TrackerNano;
import org.prdimp.fiji.setup.ModelLocator;

/**
 * NanoTrack v2's two ONNX networks for OpenCV's {@code TrackerNano} (H. Chu, Apache-2.0; not shipped with
 * the project): a folder holding {@link #BACKBONE} and {@link #HEAD}, by default
 * {@code ../shared/models/nanotrack/v2} beside the repository, else {@code --nanotrack DIR}.
 */
final class NanoTrackFiles {
    static final String BACKBONE = "nanotrack_backbone_sim.onnx";
    static final String HEAD = "nanotrack_head_sim.onnx";

    private NanoTrackFiles() {
    }

    /** {@code ../shared/models/nanotrack/v2} next to the repository whose {@code models/} the run uses. */
    static Path defaultFolder() {
        Path repo = ModelLocator.modelsDir().toAbsolutePath().normalize().getParent();
        Path base = repo == null || repo.getParent() == null ? repo : repo.getParent();
        return (base == null ? Path.of("..") : base).resolve("shared").resolve("models").resolve("nanotrack").resolve("v2");
    }

    /** Null when the folder holds both networks, else what is missing and how to give it (one line). */
    static String missing(Path folder) {
        if (Files.isRegularFile(folder.resolve(BACKBONE)) && Files.isRegularFile(folder.resolve(HEAD))) {
            return null;
        }
        return "NanoTrack's ONNX pair (" + BACKBONE + ", " + HEAD + ") is not in " + folder
                + "; give the folder holding NanoTrack v2's two files with --nanotrack DIR";
    }

    /** A TrackerNano with OpenCV's default parameters but the networks of {@code folder}. */
    static Tracker create(Path folder) {
        try (TrackerNano.Params params = new TrackerNano.Params();
             BytePointer backbone = new BytePointer(folder.resolve(BACKBONE).toString());
             BytePointer head = new BytePointer(folder.resolve(HEAD).toString())) {
            params.backbone(backbone);
            params.neckhead(head);
            return TrackerNano.create(params);
        }
    }
}
