/**
 * The command line ({@code prdimp track / demo / doctor / bench / macro / install-fiji / update-site / batch}):
 * option parsing, the subcommands as thin adapters over {@code run.TrackingSession} and the other packages, a headless
 * ImageJ for macros, the Fiji installation layout ({@code FijiLayout}) and the update site. The top of the plugin: it
 * may import every other package; none imports it.
 */
package org.prdimp.fiji.cli;
