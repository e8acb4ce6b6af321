package dev.quantfleet.engine.data.synthetic;

import dev.quantfleet.engine.data.synthetic.TextLineRenderer.Options;
import dev.quantfleet.engine.data.synthetic.TextLineRenderer.RecognizerInput;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextLineRendererTest {

    private final TextLineRenderer renderer = new TextLineRenderer();

    @Test
    void shortLineIsPaddedToMinimumWidth() {
        RecognizerInput input = renderer.render("Hello", Options.clean());

        assertThat(input.shape()).containsExactly(1, 3, 48, 320);
        assertThat(input.values()).hasSize(3 * 48 * 320);
        assertThat(input.image().getHeight()).isEqualTo(48);
        assertThat(input.image().getWidth()).isLessThan(320);
    }

    @Test
    void paddingZeroAndFullPixelRange() {
        RecognizerInput input = renderer.render("Hello", Options.clean());
        int drawnWidth = input.image().getWidth();

        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (int channel = 0; channel < 3; channel++) {
            for (int y = 0; y < 48; y++) {
                for (int x = 0; x < 320; x++) {
                    float value = input.values()[channel * 48 * 320 + y * 320 + x];
                    if (x >= drawnWidth) {
                        assertThat(value).as("padding at channel %d, y %d, x %d", channel, y, x).isZero();
                    } else {
                        min = Math.min(min, value);
                        max = Math.max(max, value);
                    }
                }
            }
        }
        assertThat(max).as("white background").isEqualTo(1f);
        assertThat(min).as("black text").isLessThan(-0.9f);
    }

    @Test
    void tightCropScalesSmallFontUpToLineHeight() {
        Options loose = new Options(12f, 0, 1, 0, 0, false);
        Options tight = new Options(12f, 0, 1, 0, 0, true);

        BufferedImage looseLine = renderer.draw("Hello", loose);
        BufferedImage tightLine = renderer.draw("Hello", tight);

        assertThat(looseLine.getHeight()).isEqualTo(48);
        assertThat(tightLine.getHeight()).isEqualTo(48);
        assertThat(tightLine.getWidth()).as("scaled up about 48 / 16 times").isGreaterThan(2 * looseLine.getWidth());
        assertThat(inkRows(looseLine)).as("12 px text leaves white rows on a 48 px canvas").isLessThan(16);
        assertThat(inkRows(tightLine)).as("a tight crop scales the glyphs up").isGreaterThan(2 * inkRows(looseLine));
    }

    /** Number of rows with a pixel darker than mid grey. */
    private static int inkRows(BufferedImage image) {
        int rows = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFF) < 128) {
                    rows++;
                    break;
                }
            }
        }
        return rows;
    }

    @Test
    void classifierInputSqueezesLongLineToFullWidth() {
        BufferedImage line = renderer.draw("The quick brown fox jumps over the lazy dog", Options.clean());

        float[] values = TextLineRenderer.toClassifierInput(line);

        assertThat(line.getWidth()).isGreaterThan(TextLineRenderer.CLASSIFIER_WIDTH);
        assertThat(values).hasSize(3 * 48 * 192);
        assertThat(values[191]).as("top right pixel is white background, not padding").isEqualTo(1f);
    }

    @Test
    void classifierInputPadsShortLineWithZero() {
        BufferedImage line = renderer.draw("Hi", Options.clean());

        float[] values = TextLineRenderer.toClassifierInput(line);

        assertThat(line.getWidth()).isLessThan(TextLineRenderer.CLASSIFIER_WIDTH);
        assertThat(values[line.getWidth() - 1]).isEqualTo(1f);
        assertThat(values[191]).as("padding").isZero();
    }

    @Test
    void fixedWidthRecognizerInputSqueezesLongLine() {
        BufferedImage line = renderer.draw("The quick brown fox jumps over the lazy dog", Options.clean());

        float[] values = TextLineRenderer.toRecognizerInput(line, 160);

        assertThat(line.getWidth()).isGreaterThan(160);
        assertThat(values).hasSize(3 * 48 * 160);
        assertThat(values[159]).as("top right pixel is white background, not padding").isEqualTo(1f);
    }

    @Test
    void fixedWidthPadsShortLine() {
        BufferedImage line = renderer.draw("Hi", Options.clean());

        float[] fixed = TextLineRenderer.toRecognizerInput(line, 320);

        assertThat(fixed).containsExactly(TextLineRenderer.toRecognizerInput(line).values());
        assertThat(fixed[319]).as("padding").isZero();
    }

    @Test
    void rotate180TwiceGivesTheSameImage() {
        BufferedImage line = renderer.draw("Upside down", Options.hard(3));

        BufferedImage once = TextLineRenderer.rotate180(line);
        BufferedImage twice = TextLineRenderer.rotate180(once);

        assertThat(once.getRGB(0, 0)).isEqualTo(line.getRGB(line.getWidth() - 1, line.getHeight() - 1));
        for (int y = 0; y < line.getHeight(); y++) {
            for (int x = 0; x < line.getWidth(); x++) {
                assertThat(twice.getRGB(x, y)).as("pixel %d, %d", x, y).isEqualTo(line.getRGB(x, y));
            }
        }
    }

    @Test
    void longLineKeepsAspectRatio() {
        String text = "The quick brown fox jumps over the lazy dog near the river bank";

        RecognizerInput input = renderer.render(text, Options.clean());

        assertThat(input.width()).isGreaterThan(320);
        assertThat(input.width() % 8).isZero();
        assertThat(input.width()).isBetween(input.image().getWidth(), input.image().getWidth() + 7);
    }

    @Test
    void channelsAreInBgrOrder() {
        BufferedImage red = new BufferedImage(10, 48, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 10; x++) {
                red.setRGB(x, y, 0xFF0000);
            }
        }

        RecognizerInput input = TextLineRenderer.toRecognizerInput(red);

        int plane = 48 * 320;
        assertThat(input.values()[0]).as("blue").isEqualTo(-1f);
        assertThat(input.values()[plane]).as("green").isEqualTo(-1f);
        assertThat(input.values()[2 * plane]).as("red").isEqualTo(1f);
        assertThat(input.values()[2 * plane + 10]).as("red padding").isZero();
    }

    @Test
    void rejectsImageOfOtherHeight() {
        BufferedImage tall = new BufferedImage(10, 64, BufferedImage.TYPE_INT_RGB);

        assertThatThrownBy(() -> TextLineRenderer.toRecognizerInput(tall))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("48 pixels high, got 64");
    }

    @Test
    void hardSettingIsSeededAndDiffersFromClean() {
        RecognizerInput clean = renderer.render("Hello world", Options.clean());
        RecognizerInput hardFirst = renderer.render("Hello world", Options.hard(7));
        RecognizerInput hardAgain = renderer.render("Hello world", Options.hard(7));
        RecognizerInput hardOtherSeed = renderer.render("Hello world", Options.hard(8));

        assertThat(hardFirst.values()).containsExactly(hardAgain.values());
        assertThat(hardFirst.values()).isNotEqualTo(hardOtherSeed.values());
        assertThat(hardFirst.values()).isNotEqualTo(clean.values());
    }

    @Test
    void rejectsEmptyText() {
        assertThatThrownBy(() -> renderer.render("", Options.clean()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }
}
