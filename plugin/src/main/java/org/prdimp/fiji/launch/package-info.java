/**
 * Fiji menu entries that must load on any Java: the launcher of "PrDiMP Track" checks the Java version
 * ({@code JavaVersion}) before any class that needs Java 11 is touched. Imports only ImageJ; it reaches
 * {@code command} by class name.
 */
package org.prdimp.fiji.launch;
