package dev.quantfleet.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QuantfleetCommandTest {

    @Test
    void versionPrintsProjectVersion() {
        CliRun run = CliRun.run("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("quantfleet " + BuildInfo.version());
        assertThat(BuildInfo.version()).doesNotContain("${");
    }

    @Test
    void helpListsSubcommands() {
        CliRun run = CliRun.run("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("models", "inspect", "apply", "quantize", "submit", "status", "watch", "result",
                "demo");
    }

    @Test
    void missingSubcommandIsUsageError() {
        CliRun run = CliRun.run();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing subcommand for 'quantfleet'; expected one of: models, inspect, "
                + "apply, quantize, submit, status, watch, result, demo");
        assertThat(run.err()).contains("Run 'quantfleet --help' for usage.");
    }

    @Test
    void missingModelsSubcommandIsUsageError() {
        CliRun run = CliRun.run("models");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("expected one of: fetch, texts");
    }

    @Test
    void unknownSubcommandSuggestsClosest() {
        CliRun run = CliRun.run("aply");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unmatched argument at index 0: 'aply'");
        assertThat(run.err()).contains("apply");
    }
}
