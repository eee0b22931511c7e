package org.prdimp.fiji.trackmate;

import java.util.Map;

import javax.swing.JSpinner;
import javax.swing.SpinnerNumberModel;

import fiji.plugin.trackmate.gui.components.ConfigurationPanel;

/** Settings of the linker: model, device, channel, link threshold and maximal frame gap. */
final class PrdimpLinkerPanel extends ConfigurationPanel {
    private static final long serialVersionUID = 1L;
    private final transient SettingsForm form;
    private final JSpinner threshold = SettingsForm.number(PrdimpLinkerFactory.DEFAULT_LINK_THRESHOLD, 0, 1, 0.01);
    private final JSpinner maxGap = new JSpinner(new SpinnerNumberModel(2, 0, 1000, 1));

    PrdimpLinkerPanel() {
        form = new SettingsForm(this, PrdimpLinkerFactory.NAME);
        form.row("Link probability threshold (0-1)", threshold);
        form.row("Max frame gap", maxGap);
    }

    @Override
    public void setSettings(Map<String, Object> settings) {
        form.read(settings);
        Object t = settings.get(PrdimpKeys.LINK_THRESHOLD);
        threshold.setValue(t instanceof Double ? t : PrdimpLinkerFactory.DEFAULT_LINK_THRESHOLD);
        Object g = settings.get(PrdimpKeys.MAX_FRAME_GAP);
        maxGap.setValue(g instanceof Integer ? g : 2);
    }

    @Override
    public Map<String, Object> getSettings() {
        Map<String, Object> s = PrdimpLinkerFactory.SCHEMA.defaults();
        form.write(s);
        s.put(PrdimpKeys.LINK_THRESHOLD, ((Number) threshold.getValue()).doubleValue());
        s.put(PrdimpKeys.MAX_FRAME_GAP, (Integer) maxGap.getValue());
        return s;
    }

    @Override
    public void clean() {
    }
}
