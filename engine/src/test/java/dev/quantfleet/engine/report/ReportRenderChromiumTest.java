package dev.quantfleet.engine.report;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Opens report.html in headless Chromium, as a person would, and checks what the browser built. */
@Timeout(value = 3 * HeadlessChromium.TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
class ReportRenderChromiumTest {

    /** The fill of the winner's point in the Pareto plot, {@code #f9a825}. */
    private static final int WINNER_RGB = 0xf9a825;

    @TempDir
    Path directory;

    private SearchReport report;
    private Path page;

    @BeforeEach
    void writeReport() {
        assumeTrue(HeadlessChromium.isInstalled(),
                HeadlessChromium.EXECUTABLE + " is missing; install Debian's chromium package to run the render check");
        report = SampleReports.sample();
        page = directory.resolve("report.html");
        ReportHtml.write(report, page);
    }

    @Test
    void domHasParetoPlotAndWinner() throws Exception {
        String dom = new HeadlessChromium(directory).dumpDom(page);

        assertThat(dom).contains("<svg class=\"pareto\"");
        assertThat(dom).contains("<circle class=\"point winner\" data-candidate=\"" + report.winner().candidateId() + "\"");
        assertThat(dom).contains("winner " + report.winner().candidateId());
        assertThat(dom).contains("<svg class=\"sensitivity\"");
        assertThat(dom).contains("&lt;script&gt;alert('node')&lt;/script&gt;");
        assertThat(dom).doesNotContain("<script");
    }

    @Test
    void pageReferencesNoNetworkResource() throws Exception {
        String html = Files.readString(page);
        String dom = new HeadlessChromium(directory).dumpDom(page);

        assertThat(html).doesNotContain("http://", "https://", "//cdn", "src=", "href=");
        assertThat(dom).doesNotContain("http://", "https://", "src=", "href=");
    }

    @Test
    void screenshotShowsWinnerPoint() throws Exception {
        Path png = directory.resolve("report.png");

        new HeadlessChromium(directory).screenshot(page, png, 1100, 1400);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(1100);
        assertThat(countPixels(image, WINNER_RGB)).as("pixels of the winner's fill colour").isGreaterThan(20);
    }

    private static int countPixels(BufferedImage image, int rgb) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    count++;
                }
            }
        }
        return count;
    }
}
