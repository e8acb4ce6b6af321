package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.external.PackageDescription;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetrievalPairsTest {

    /** pkg-0 to pkg-7, each with a synopsis and extended description of its own. */
    private static List<PackageDescription> distinctPackages() {
        List<PackageDescription> descriptions = new ArrayList<>();
        for (int index = 0; index < 8; index++) {
            descriptions.add(new PackageDescription("pkg-" + index, "synopsis " + index, "extended " + index));
        }
        return descriptions;
    }

    @Test
    void poolIsOrderedBySha256OfPackageName() {
        List<PackageDescription> shuffled = new ArrayList<>(distinctPackages());
        Collections.reverse(shuffled);

        // SHA-256 hex order of the names, computed outside Java
        assertThat(RetrievalPairs.pool(shuffled)).extracting(PackageDescription::packageName)
                .containsExactly("pkg-0", "pkg-5", "pkg-3", "pkg-6", "pkg-4", "pkg-1", "pkg-2", "pkg-7");
    }

    @Test
    void poolDropsAmbiguousAndEmptyDescriptions() {
        List<PackageDescription> descriptions = new ArrayList<>(distinctPackages());
        descriptions.add(new PackageDescription("a-no-extended", "no extended description", ""));
        descriptions.add(new PackageDescription("b-same-synopsis", "Synopsis 1 ", "extended b"));
        descriptions.add(new PackageDescription("c-same-document", "synopsis c", "EXTENDED 2"));
        descriptions.add(new PackageDescription("pkg-3", "second version of pkg-3", "other extended"));

        List<PackageDescription> pool = RetrievalPairs.pool(descriptions);

        assertThat(pool).extracting(PackageDescription::packageName)
                .containsExactlyInAnyOrder("pkg-0", "pkg-3", "pkg-4", "pkg-5", "pkg-6", "pkg-7");
        assertThat(pool).filteredOn(description -> description.packageName().equals("pkg-3"))
                .extracting(PackageDescription::synopsis).containsExactly("synopsis 3");
    }

    @Test
    void cutGivesDisjointPartsInPoolOrder() {
        RetrievalPairs pairs = RetrievalPairs.cut(distinctPackages(), 3, 2, 2);

        assertThat(pairs.poolSize()).isEqualTo(8);
        assertThat(pairs.evaluationPairs()).containsExactly("synopsis 0\textended 0", "synopsis 5\textended 5",
                "synopsis 3\textended 3");
        assertThat(pairs.searchPairs()).containsExactly("synopsis 6\textended 6", "synopsis 4\textended 4");
        assertThat(pairs.calibrationTexts()).containsExactly("synopsis 1", "extended 1", "synopsis 2", "extended 2");
    }

    @Test
    void cutReplacesTabsInsideTexts() {
        List<PackageDescription> descriptions = List.of(new PackageDescription("tabs", "a\tb", "c\td"));

        assertThat(RetrievalPairs.cut(descriptions, 1, 0, 0).evaluationPairs()).containsExactly("a b\tc d");
    }

    @Test
    void cutRejectsTooSmallPool() {
        assertThatThrownBy(() -> RetrievalPairs.cut(distinctPackages(), 5, 3, 2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs 10 packages")
                .hasMessageContaining("hold 8")
                .hasMessageContaining(PackageTexts.TRANSLATIONS_COMMAND);
    }

    @Test
    void cutRejectsSharedCalibrationText() {
        // pkg-0 comes first in the pool and becomes the evaluation pair; pkg-5 gives the calibration texts
        List<PackageDescription> crossed = List.of(
                new PackageDescription("pkg-0", "query zero", "document zero"),
                new PackageDescription("pkg-5", "Document Zero", "something else"));

        assertThatThrownBy(() -> RetrievalPairs.cut(crossed, 1, 0, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Calibration text 'Document Zero'");
    }
}
