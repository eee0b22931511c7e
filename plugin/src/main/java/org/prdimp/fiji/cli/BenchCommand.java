package org.prdimp.fiji.cli;

import java.io.PrintStream;

import org.prdimp.fiji.bench.Benchmark;

/** {@code prdimp bench}: see {@link Benchmark}. */
final class BenchCommand {
    private BenchCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
        try {
            return Benchmark.run(args, out, err);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
