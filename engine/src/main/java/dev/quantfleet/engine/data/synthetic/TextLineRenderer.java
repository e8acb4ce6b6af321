package dev.quantfleet.engine.data.synthetic;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Draws one line of text with Java2D and converts it to the input of a PaddleOCR text line
 * recognizer: a float tensor {@code [1, 3, 48, W]} in BGR channel order, each value
 * {@code (x / 255 - 0.5) / 0.5} so that black is -1 and white is 1.
 *
 * <p>The line is drawn dark on white, scaled to height 48 keeping its aspect ratio, and padded
 * on the right to W = max(320, width rounded up to a multiple of 8), the recognizer's time
 * step being 8 pixels wide. The padding is 0 after normalization, as PaddleOCR's own
 * preprocessing pads. A "hard" setting degrades the line with a Gaussian blur, a gamma curve
 * and seeded Gaussian pixel noise, in that order.
 *
 * <p>By default the text is drawn on a canvas at least 48 pixels high, so a font smaller than
 * about 38 pixels (DejaVu Sans) leaves white above and below the text, like a loose crop. With
 * {@link Options#tightCrop()} the canvas is only as high as the font's ascent and descent plus a
 * margin and is then scaled to 48, as a text detector's crop of a small, low-resolution line
 * would be: small fonts come out large and soft instead of small and sharp.
 *
 * <p>Runs headless. DejaVu Sans is used where installed ({@code /usr/share/fonts/truetype/dejavu}),
 * otherwise the JDK's logical SansSerif font, so drawn pixels may differ between machines.
 */
public final class TextLineRenderer {

    /** Input height of PaddleOCR PP-OCRv3/v4 recognizers. */
    public static final int HEIGHT = 48;
    /** Minimum input width; narrower lines are padded to it. */
    public static final int MIN_WIDTH = 320;
    /** Input width of the PaddleOCR text orientation classifier, whose input is {@code [n, 3, 48, 192]}. */
    public static final int CLASSIFIER_WIDTH = 192;

    private static final int WIDTH_STEP = 8;
    private static final Path DEJAVU_SANS = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private final Font baseFont;

    public TextLineRenderer() {
        this.baseFont = loadFont();
    }

    /**
     * How to draw a line.
     *
     * @param fontSizePx   font size in pixels before scaling to height 48
     * @param blurSigmaPx  standard deviation of the Gaussian blur in pixels; 0 for none
     * @param gamma        exponent applied to intensities in [0, 1]; 1 for none, above 1 darkens
     * @param noiseSigma   standard deviation of the additive pixel noise in 0..255 units; 0 for none
     * @param seed         seed of the noise generator
     * @param tightCrop    whether the canvas fits the text's height (then scaled to 48) instead of
     *                     being at least 48 pixels high; see the class comment
     */
    public record Options(float fontSizePx, double blurSigmaPx, double gamma, double noiseSigma, long seed,
                          boolean tightCrop) {

        public Options {
            if (fontSizePx <= 0 || blurSigmaPx < 0 || gamma <= 0 || noiseSigma < 0) {
                throw new IllegalArgumentException("Invalid render options " + fontSizePx + " px, blur " + blurSigmaPx
                        + ", gamma " + gamma + ", noise " + noiseSigma
                        + ": font size and gamma must be positive, blur and noise not negative");
            }
        }

        /** Creates options that draw on a canvas at least 48 pixels high, without a tight crop. */
        public Options(float fontSizePx, double blurSigmaPx, double gamma, double noiseSigma, long seed) {
            this(fontSizePx, blurSigmaPx, gamma, noiseSigma, seed, false);
        }

        /** Sharp black text, about two thirds of the line height. */
        public static Options clean() {
            return new Options(32f, 0, 1, 0, 0);
        }

        /**
         * Smaller, blurred, darkened and noisy text that stays readable. With line i drawn with
         * seed i, the fp32 PP-OCRv4 recognizer decoded 48 of the first 60 dpkg synopses of a
         * Debian 12 machine exactly; the engine test PaddleOcrRecognitionTest prints the count.
         */
        public static Options hard(long seed) {
            return new Options(28f, 1.0, 1.8, 24, seed);
        }
    }

    /**
     * A drawn line: the tensor values in row-major {@code [1, 3, 48, width]} order, the
     * tensor shape, and the drawn image before padding.
     */
    public record RecognizerInput(float[] values, long[] shape, BufferedImage image) {

        public int width() {
            return Math.toIntExact(shape[3]);
        }
    }

    /** Draws {@code text} and returns it as recognizer input. */
    public RecognizerInput render(String text, Options options) {
        return toRecognizerInput(draw(text, options));
    }

    /** Converts an RGB image of height 48 to recognizer input, padding it on the right. */
    public static RecognizerInput toRecognizerInput(BufferedImage line) {
        if (line.getHeight() != HEIGHT) {
            throw new IllegalArgumentException("Line image must be " + HEIGHT + " pixels high, got " + line.getHeight());
        }
        int width = Math.max(MIN_WIDTH, roundUp(line.getWidth(), WIDTH_STEP));
        return new RecognizerInput(toBgrTensor(line, width), new long[] {1, 3, HEIGHT, width}, line);
    }

    /**
     * Converts an RGB image of height 48 to one item of a recognizer batch of fixed width, in
     * row-major {@code [3, 48, width]} order. A line narrower than {@code width} is padded on the
     * right with 0 after normalization; a wider line is squeezed horizontally to {@code width}
     * (bilinear), as PaddleOCR's recognizer preprocessing squeezes lines longer than its input
     * width, so no text is cut off.
     *
     * @throws IllegalArgumentException if the image is not 48 pixels high or {@code width < 1}
     */
    public static float[] toRecognizerInput(BufferedImage line, int width) {
        if (line.getHeight() != HEIGHT) {
            throw new IllegalArgumentException("Line image must be " + HEIGHT + " pixels high, got " + line.getHeight());
        }
        if (width < 1) {
            throw new IllegalArgumentException("Input width must be 1 or more, got " + width);
        }
        BufferedImage fitted = line.getWidth() > width ? squeeze(line, width) : line;
        return toBgrTensor(fitted, width);
    }

    /**
     * Converts an RGB image of height 48 to one item of the orientation classifier's input, in
     * row-major {@code [3, 48, 192]} order: scaled to the width {@code min(192, image width)}
     * (long lines are squeezed, as PaddleOCR's classifier preprocessing squeezes them), then
     * padded on the right with 0 after normalization.
     */
    public static float[] toClassifierInput(BufferedImage line) {
        if (line.getHeight() != HEIGHT) {
            throw new IllegalArgumentException("Line image must be " + HEIGHT + " pixels high, got " + line.getHeight());
        }
        int width = Math.min(CLASSIFIER_WIDTH, line.getWidth());
        return toBgrTensor(squeeze(line, width), CLASSIFIER_WIDTH);
    }

    private static BufferedImage squeeze(BufferedImage line, int width) {
        BufferedImage squeezed = new BufferedImage(width, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = squeezed.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        graphics.drawImage(line, 0, 0, width, HEIGHT, null);
        graphics.dispose();
        return squeezed;
    }

    /** Returns {@code image} turned by 180 degrees, as a line read upside down. */
    public static BufferedImage rotate180(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        BufferedImage rotated = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                rotated.setRGB(width - 1 - x, height - 1 - y, image.getRGB(x, y));
            }
        }
        return rotated;
    }

    /** Draws {@code text} as an RGB image of height 48, degraded as {@code options} set. */
    public BufferedImage draw(String text, Options options) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("Cannot draw an empty text line");
        }
        BufferedImage natural = drawAtNaturalSize(text, baseFont.deriveFont(options.fontSizePx()), options.tightCrop());
        BufferedImage line = scaleToHeight(natural, HEIGHT);
        if (options.blurSigmaPx() > 0) {
            line = blur(line, options.blurSigmaPx());
        }
        applyGammaAndNoise(line, options);
        return line;
    }

    private static BufferedImage drawAtNaturalSize(String text, Font font, boolean tightCrop) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D measure = scratch.createGraphics();
        FontMetrics metrics = measure.getFontMetrics(font);
        measure.dispose();
        // White after the last glyph tends to decode as a trailing space, so on a loose canvas the
        // line ends at the last glyph's advance and only the left side gets a margin. With DejaVu
        // Sans at 32 px, PP-OCRv4 decoded the first 60 dpkg synopses of a Debian 12 machine all
        // exactly this way, but only 55 of them with 4 px on both sides. A tight crop is scaled up,
        // and there PP-OCRv4 often lost a last glyph at the right edge instead. Of 100 lines of 11
        // to 18 px, it decoded 65 exactly without a right margin and 73 with one as wide as the left.
        int leftMargin = Math.max(2, Math.round(font.getSize2D() / 16));
        int rightMargin = tightCrop ? leftMargin : 0;
        int width = leftMargin + metrics.stringWidth(text) + rightMargin;
        int textHeight = metrics.getAscent() + metrics.getDescent();
        int height = tightCrop ? textHeight + 2 * leftMargin : Math.max(HEIGHT, textHeight + 2 * leftMargin);

        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        graphics.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        graphics.setColor(Color.WHITE);
        graphics.fillRect(0, 0, width, height);
        graphics.setColor(Color.BLACK);
        graphics.setFont(font);
        int baseline = (height - textHeight) / 2 + metrics.getAscent();
        graphics.drawString(text, (float) leftMargin, (float) baseline);
        graphics.dispose();
        return image;
    }

    private static BufferedImage scaleToHeight(BufferedImage image, int height) {
        if (image.getHeight() == height) {
            return image;
        }
        int width = Math.max(1, (int) Math.ceil((double) image.getWidth() * height / image.getHeight()));
        BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = scaled.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        graphics.drawImage(image, 0, 0, width, height, null);
        graphics.dispose();
        return scaled;
    }

    /** Separable Gaussian blur with a kernel of radius ceil(3 sigma); edges are extended with white. */
    private static BufferedImage blur(BufferedImage image, double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        float[] weights = new float[2 * radius + 1];
        float sum = 0;
        for (int offset = -radius; offset <= radius; offset++) {
            float weight = (float) Math.exp(-(offset * offset) / (2 * sigma * sigma));
            weights[offset + radius] = weight;
            sum += weight;
        }
        for (int index = 0; index < weights.length; index++) {
            weights[index] /= sum;
        }
        BufferedImage padded = padWithWhite(image, radius);
        ConvolveOp horizontal = new ConvolveOp(new Kernel(weights.length, 1, weights), ConvolveOp.EDGE_NO_OP, null);
        ConvolveOp vertical = new ConvolveOp(new Kernel(1, weights.length, weights), ConvolveOp.EDGE_NO_OP, null);
        BufferedImage blurred = vertical.filter(horizontal.filter(padded, null), null);
        return blurred.getSubimage(radius, radius, image.getWidth(), image.getHeight());
    }

    private static BufferedImage padWithWhite(BufferedImage image, int border) {
        BufferedImage padded = new BufferedImage(image.getWidth() + 2 * border, image.getHeight() + 2 * border,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = padded.createGraphics();
        graphics.setColor(Color.WHITE);
        graphics.fillRect(0, 0, padded.getWidth(), padded.getHeight());
        graphics.drawImage(image, border, border, null);
        graphics.dispose();
        return padded;
    }

    private static void applyGammaAndNoise(BufferedImage image, Options options) {
        if (options.gamma() == 1 && options.noiseSigma() == 0) {
            return;
        }
        Random random = new Random(options.seed());
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int red = degrade((rgb >> 16) & 0xFF, options, random);
                int green = degrade((rgb >> 8) & 0xFF, options, random);
                int blue = degrade(rgb & 0xFF, options, random);
                image.setRGB(x, y, (red << 16) | (green << 8) | blue);
            }
        }
    }

    private static int degrade(int value, Options options, Random random) {
        double adjusted = 255 * Math.pow(value / 255.0, options.gamma());
        adjusted += random.nextGaussian() * options.noiseSigma();
        return (int) Math.max(0, Math.min(255, Math.round(adjusted)));
    }

    private static float[] toBgrTensor(BufferedImage line, int width) {
        int plane = HEIGHT * width;
        float[] values = new float[3 * plane];
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < line.getWidth(); x++) {
                int rgb = line.getRGB(x, y);
                int pixel = y * width + x;
                values[pixel] = normalize(rgb & 0xFF);
                values[plane + pixel] = normalize((rgb >> 8) & 0xFF);
                values[2 * plane + pixel] = normalize((rgb >> 16) & 0xFF);
            }
        }
        return values;
    }

    private static float normalize(int value) {
        return (value / 255f - 0.5f) / 0.5f;
    }

    private static int roundUp(int value, int step) {
        return (value + step - 1) / step * step;
    }

    private static Font loadFont() {
        if (Files.isRegularFile(DEJAVU_SANS)) {
            try {
                return Font.createFont(Font.TRUETYPE_FONT, DEJAVU_SANS.toFile());
            } catch (FontFormatException e) {
                throw new IllegalStateException("Font file " + DEJAVU_SANS + " is not a valid TrueType font", e);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read font " + DEJAVU_SANS, e);
            }
        }
        return new Font(Font.SANS_SERIF, Font.PLAIN, 32);
    }
}
