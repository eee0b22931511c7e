package org.prdimp.fiji.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

import org.prdimp.fiji.setup.Doctor;

/** {@code prdimp doctor [--model DIR] [--device D]}: the {@link Doctor} report; exit 0 when tracking can run, 1 otherwise. */
final class DoctorCommand {
    private static final Set<String> OPTIONS = Set.of("model", "device");

    private DoctorCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
        Options o = Options.parse("doctor", args, 1, OPTIONS);
        Path modelPath = TrackCommand.model(o);
        return Doctor.report(modelPath, TrackCommand.device(o), out);
    }
}
