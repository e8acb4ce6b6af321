package dev.quantfleet.coordinator.search;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerPathsTest {

    @Test
    void replacesTaskFolderByFileName() {
        String reason = "Label 999 of evaluation sample 1 (/tmp/quantfleet-fleet-26/worker-1/tasks/task-1389/evaluation/"
                + "eval.npy, sample 0) is not a class of output 'y' [1, 10]";

        assertThat(WorkerPaths.withFileNamesOnly(reason)).isEqualTo(
                "Label 999 of evaluation sample 1 (eval.npy, sample 0) is not a class of output 'y' [1, 10]");
    }

    @Test
    void replacesEveryPathInMessage() {
        String reason = "The labels file /w/t/evaluation/labels.txt has 30 labels, but the data /w/t/evaluation/e.npy"
                + " has 32 samples";

        assertThat(WorkerPaths.withFileNamesOnly(reason))
                .isEqualTo("The labels file labels.txt has 30 labels, but the data e.npy has 32 samples");
    }

    @Test
    void keepsUrlsRelativePathsAndNames() {
        String reason = "Download of http://127.0.0.1:9000/quantfleet/sha256/ab failed for data/x.npy; 'y' [1, 10]";

        assertThat(WorkerPaths.withFileNamesOnly(reason)).isEqualTo(reason);
    }

    @Test
    void keepsNullReason() {
        assertThat(WorkerPaths.withFileNamesOnly(null)).isNull();
    }
}
