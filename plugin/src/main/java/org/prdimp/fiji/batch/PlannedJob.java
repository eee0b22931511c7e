package org.prdimp.fiji.batch;

import java.nio.file.Path;
import java.util.List;

import org.prdimp.fiji.engine.Box;

/** One job of a plan: a stack and the initial boxes of its targets (target i is the i-th box, 0-based). */
public final class PlannedJob {
    /** 0-based job number: the index a scheduler passes ({@code --index N}, SLURM_ARRAY_TASK_ID). */
    public final int index;
    /** The stack (absolute path). */
    public final Path stack;
    /** The stack's name in the merged table: its file name. */
    public final String name;
    public final List<Box> boxes;
    /** Where the boxes came from, e.g. {@code boxes.csv lines 2-4} or {@code A01.zip}. */
    public final String boxesFrom;
    /** The job's results, relative to the output folder: {@code jobs/NNNNN.csv}. */
    public final String result;

    public PlannedJob(int index, Path stack, String name, List<Box> boxes, String boxesFrom) {
        this(index, stack, name, boxes, boxesFrom, resultName(index));
    }

    PlannedJob(int index, Path stack, String name, List<Box> boxes, String boxesFrom, String result) {
        this.index = index;
        this.stack = stack;
        this.name = name;
        this.boxes = List.copyOf(boxes);
        this.boxesFrom = boxesFrom;
        this.result = result;
    }

    /** {@code jobs/00003.csv} for job 3. */
    static String resultName(int index) {
        return String.format(java.util.Locale.ROOT, "%s/%05d.csv", JobFiles.JOBS, index);
    }

    @Override
    public String toString() {
        return "job " + index + " (" + name + ")";
    }
}
