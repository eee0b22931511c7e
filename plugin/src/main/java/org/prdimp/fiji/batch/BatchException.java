package org.prdimp.fiji.batch;

/** Bad batch input (boxes CSV, input folder, plan, output folder): one line saying what is wrong and what to do. */
public final class BatchException extends Exception {
    private static final long serialVersionUID = 1L;

    public BatchException(String message) {
        super(message);
    }
}
