/**
 * The search report: the records written to {@code report.json} ({@link dev.quantfleet.engine.report.SearchReport}
 * and its parts, read back with {@link dev.quantfleet.engine.report.ReportJson}) and the self-contained
 * {@code report.html} page ({@link dev.quantfleet.engine.report.ReportHtml}) that explains why the
 * winner was chosen. The records depend only on the evaluation types, {@code QuantConfig} and
 * {@code Provenance}, so any search can map its outcome into them.
 */
package dev.quantfleet.engine.report;
