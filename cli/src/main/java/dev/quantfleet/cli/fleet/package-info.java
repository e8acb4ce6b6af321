/**
 * The command line's side of the fleet: a local fleet of child processes on an in-process Kafka
 * broker and S3 server ({@link dev.quantfleet.cli.fleet.LocalFleet}), the REST client of the
 * coordinator ({@link dev.quantfleet.cli.fleet.CoordinatorClient}), the upload of a search's
 * inputs ({@link dev.quantfleet.cli.fleet.RequestUploader}) and the download of its results
 * ({@link dev.quantfleet.cli.fleet.ResultDownloader}).
 */
package dev.quantfleet.cli.fleet;
