/**
 * Option parsing and checking shared by the front ends ({@code OptionValues}: key=value, key=[...], switches,
 * unknown keys, one-of values, whole numbers; one line naming the key and what is accepted). Imports nothing of the
 * plugin.
 */
package org.prdimp.fiji.options;
