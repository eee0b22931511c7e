package org.prdimp.fiji.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.prdimp.fiji.io.FrameSources;

/** Checks on where results go, made before anything is opened for writing. */
public final class OutputFiles {
    private OutputFiles() {
    }

    /**
     * Refuses an output file (or its {@link ResultsCsv#partialName partial name}) that is one of the
     * files the input reads: the stack itself or a frame of an input folder, however it is named
     * (relative path, symbolic or hard link).
     *
     * @throws TrackingException naming the input file it would overwrite
     */
    public static void refuseInput(Path out, Path input) throws TrackingException {
        for (Path candidate : new Path[] {out, ResultsCsv.partialName(out.toAbsolutePath())}) {
            if (!Files.exists(candidate)) {
                continue;
            }
            for (Path in : FrameSources.files(input)) {
                boolean same;
                try {
                    same = Files.isSameFile(candidate, in);
                } catch (IOException e) {
                    same = candidate.toAbsolutePath().normalize().equals(in.toAbsolutePath().normalize());
                }
                if (same) {
                    throw new TrackingException("the results file " + candidate + " is the input file " + in
                            + "; writing it would destroy the images: choose another output file (--out), e.g. results.csv");
                }
            }
        }
    }
}
