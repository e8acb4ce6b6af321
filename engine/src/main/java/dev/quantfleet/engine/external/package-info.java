/**
 * Access to real models and texts that live outside the repository: npm package tarballs and
 * the Debian package database. The command line and the real-model tests share these classes,
 * so that both fetch and read the same files the same way.
 */
package dev.quantfleet.engine.external;
