/**
 * The confidence calibration of a model ({@code calibration.json} beside it): the evidence features of a tracked
 * frame, the logistic map to P(IoU &gt;= 0.5), the state thresholds, the fit and the reliability measures. May import
 * SnakeYAML only; the engine imports it (and turns probability and thresholds into a state: {@code TargetState.of}).
 */
package org.prdimp.fiji.engine.calibration;
