/**
 * Many stacks as scheduler jobs ({@code prdimp batch plan / run / merge}): the plan ({@code Planner},
 * {@code BatchPlan}), resumable jobs ({@code JobRunner}, {@code JobFiles}) and the merged table. Each job is one CLI
 * track run. May import {@code run}, {@code engine} and {@code command} (ROI files as targets); never {@code cli}.
 */
package org.prdimp.fiji.batch;
