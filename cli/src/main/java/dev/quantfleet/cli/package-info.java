/** The {@code quantfleet} command line. */
package dev.quantfleet.cli;
