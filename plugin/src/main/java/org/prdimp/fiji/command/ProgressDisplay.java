package org.prdimp.fiji.command;

import java.awt.BorderLayout;
import java.awt.Button;
import java.awt.Frame;
import java.awt.Label;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.util.Locale;

import ij.IJ;

/**
 * Progress of a run with a display: ImageJ's progress bar, a status line with frames per second, and
 * a small window with a Cancel button (Esc cancels too). Cancelling keeps the frames tracked.
 */
final class ProgressDisplay implements ImageTracking.Progress {
    private final Frame window;
    private final Label label;
    private volatile boolean cancelled;

    private ProgressDisplay(String title) {
        window = new Frame("PrDiMP Track: " + title);
        label = new Label("initialising the targets ... (Esc or Cancel to stop)");
        Button cancel = new Button("Cancel");
        cancel.addActionListener(e -> cancelled = true);
        window.addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosing(WindowEvent e) {
                cancelled = true;
            }
        });
        window.setLayout(new BorderLayout(6, 6));
        window.add(label, BorderLayout.CENTER);
        window.add(cancel, BorderLayout.EAST);
        window.setSize(460, 70);
        window.setLocationRelativeTo(null);
        window.setVisible(true);
    }

    static ProgressDisplay open(String title) {
        return new ProgressDisplay(title);
    }

    boolean cancelled() {
        return cancelled;
    }

    @Override
    public void frame(int done, int total, double framesPerSecond) {
        String text = String.format(Locale.ROOT, "PrDiMP Track: frame %d/%d, %.1f frames/s (Esc or Cancel to stop)",
                done, total, framesPerSecond);
        IJ.showProgress(done, total);
        IJ.showStatus(text);
        label.setText(text);
    }

    void close() {
        IJ.showProgress(1.0);
        window.dispose();
    }
}
