package org.prdimp.fiji.trackmate;

import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import java.util.Map;

import javax.swing.JComboBox;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JSpinner;
import javax.swing.JTextField;
import javax.swing.SpinnerNumberModel;

/** The fields both configuration panels share (model, device, channel) and a labelled-row layout. */
final class SettingsForm {
    final JTextField model = new JTextField(24);
    final JComboBox<String> device = new JComboBox<>(new String[] {"auto", "cpu", "gpu"});
    final JSpinner channel = new JSpinner(new SpinnerNumberModel(1, 1, 64, 1));
    private final JPanel panel;
    private int row;

    SettingsForm(JPanel panel, String title) {
        this.panel = panel;
        panel.setLayout(new GridBagLayout());
        JLabel heading = new JLabel("<html><b>" + title + "</b></html>");
        add(heading, null);
        row("Model folder (empty: bundled)", model);
        row("Device", device);
        row("Channel", channel);
    }

    void row(String label, JComponent field) {
        add(new JLabel(label), field);
    }

    void add(JComponent left, JComponent right) {
        GridBagConstraints c = new GridBagConstraints();
        c.gridy = row++;
        c.insets = new Insets(2, 4, 2, 4);
        c.anchor = GridBagConstraints.WEST;
        c.gridx = 0;
        c.gridwidth = right == null ? 2 : 1;
        panel.add(left, c);
        if (right != null) {
            c.gridx = 1;
            c.fill = GridBagConstraints.HORIZONTAL;
            c.weightx = 1;
            panel.add(right, c);
        }
    }

    void read(Map<String, Object> s) {
        model.setText(String.valueOf(s.getOrDefault(PrdimpKeys.MODEL, "")));
        device.setSelectedItem(String.valueOf(s.getOrDefault(PrdimpKeys.DEVICE, "auto")));
        Object c = s.get(PrdimpKeys.TARGET_CHANNEL);
        channel.setValue(c instanceof Integer ? c : 1);
    }

    void write(Map<String, Object> s) {
        s.put(PrdimpKeys.MODEL, model.getText().trim());
        s.put(PrdimpKeys.DEVICE, String.valueOf(device.getSelectedItem()));
        s.put(PrdimpKeys.TARGET_CHANNEL, (Integer) channel.getValue());
    }

    static JSpinner number(double value, double min, double max, double step) {
        return new JSpinner(new SpinnerNumberModel(value, min, max, step));
    }
}
