package org.prdimp.fiji.trackmate;

import java.util.Map;

import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JSpinner;

import fiji.plugin.trackmate.Settings;
import fiji.plugin.trackmate.gui.components.ConfigurationPanel;
import ij.ImagePlus;

/**
 * Settings of the detector: model, device, channel, the two thresholds, and the initial boxes,
 * captured from the image's ROIs (ROI Manager, or the image's ROI) with the Capture button. After
 * a capture the image's ROI is cleared (and TrackMate's settings' ROI), so that TrackMate, which
 * re-reads the image's ROI before detection and keeps only the spots inside it, does not crop the
 * tracks to the last seed box.
 */
final class PrdimpDetectorPanel extends ConfigurationPanel {
    private static final long serialVersionUID = 1L;
    private final transient ImagePlus imp;
    private final transient Settings trackmateSettings;
    private final transient SettingsForm form;
    private final JSpinner minConfidence = SettingsForm.number(0, 0, 1, 0.01);
    private final JSpinner maxSigma = SettingsForm.number(0, 0, 1e6, 1);
    private final JLabel captured = new JLabel();
    private String boxes = "";
    private int frame;

    PrdimpDetectorPanel(Settings trackmateSettings) {
        this.trackmateSettings = trackmateSettings;
        this.imp = trackmateSettings == null ? null : trackmateSettings.imp;
        this.form = new SettingsForm(this, PrdimpDetectorFactory.NAME);
        form.row("Min confidence (0-1)", minConfidence);
        form.row("Max uncertainty, pixels (0: none)", maxSigma);
        JButton capture = new JButton("Capture ROIs");
        capture.addActionListener(e -> capture());
        form.add(capture, captured);
        showCapture();
    }

    /** Takes the boxes from the image's ROIs; returns null, or what went wrong (also shown on the panel). */
    String capture() {
        try {
            RoiBoxes.Capture c = RoiBoxes.capture(imp);
            boxes = c.boxes;
            frame = c.frame;
            RoiBoxes.releaseRoi(imp, trackmateSettings);
            showCapture();
            return null;
        } catch (IllegalArgumentException e) {
            captured.setText("<html><font color='#b00000'>" + e.getMessage() + "</font></html>");
            return e.getMessage();
        }
    }

    private void showCapture() {
        int n = RoiBoxes.parse(boxes).size();
        captured.setText(n == 0 ? "no boxes yet" : "<html>" + n + (n == 1 ? " box" : " boxes") + " in frame " + (frame + 1)
                + "<br>(ROI cleared from the image so that TrackMate detects everywhere)</html>");
    }

    @Override
    public void setSettings(Map<String, Object> settings) {
        form.read(settings);
        Object c = settings.get(PrdimpKeys.MIN_CONFIDENCE);
        minConfidence.setValue(c instanceof Double ? c : 0.0);
        Object s = settings.get(PrdimpKeys.MAX_SIGMA);
        maxSigma.setValue(s instanceof Double ? s : 0.0);
        Object b = settings.get(PrdimpKeys.BOXES);
        Object f = settings.get(PrdimpKeys.INITIAL_FRAME);
        boxes = b instanceof String ? (String) b : "";
        frame = f instanceof Integer ? (Integer) f : 0;
        try {
            showCapture();
        } catch (IllegalArgumentException e) {
            boxes = "";
            showCapture();
        }
        if (boxes.isEmpty() && imp != null && imp.getRoi() != null) {
            capture();
        }
    }

    @Override
    public Map<String, Object> getSettings() {
        Map<String, Object> s = PrdimpDetectorFactory.SCHEMA.defaults();
        form.write(s);
        s.put(PrdimpKeys.MIN_CONFIDENCE, ((Number) minConfidence.getValue()).doubleValue());
        s.put(PrdimpKeys.MAX_SIGMA, ((Number) maxSigma.getValue()).doubleValue());
        s.put(PrdimpKeys.BOXES, boxes);
        s.put(PrdimpKeys.INITIAL_FRAME, frame);
        return s;
    }

    @Override
    public void clean() {
    }
}
