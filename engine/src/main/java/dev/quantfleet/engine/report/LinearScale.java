package dev.quantfleet.engine.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps a data interval onto a pixel interval and picks round tick values (steps of 1, 2 or 5
 * times a power of ten). The domain is widened to the enclosing ticks, so every point lies
 * inside the axes; an empty or single-value domain is widened around its value.
 */
final class LinearScale {

    private final double domainMin;
    private final double domainMax;
    private final double pixelStart;
    private final double pixelEnd;
    private final double tickStep;

    /**
     * @param dataMin    smallest data value
     * @param dataMax    largest data value
     * @param pixelStart pixel of {@code dataMin}'s end of the axis (may be larger than pixelEnd, as for a y axis)
     * @param pixelEnd   pixel of {@code dataMax}'s end of the axis
     * @param tickCount  about how many ticks to place
     */
    LinearScale(double dataMin, double dataMax, double pixelStart, double pixelEnd, int tickCount) {
        if (!(dataMax > dataMin)) {
            double pad = dataMin == 0 ? 1 : Math.abs(dataMin) * 0.05;
            dataMin -= pad;
            dataMax += pad;
        }
        this.tickStep = niceStep((dataMax - dataMin) / tickCount);
        this.domainMin = Math.floor(dataMin / tickStep) * tickStep;
        this.domainMax = Math.ceil(dataMax / tickStep) * tickStep;
        this.pixelStart = pixelStart;
        this.pixelEnd = pixelEnd;
    }

    double pixel(double value) {
        return pixelStart + (value - domainMin) / (domainMax - domainMin) * (pixelEnd - pixelStart);
    }

    /** Returns the tick values from the domain's start to its end. */
    List<Double> ticks() {
        List<Double> ticks = new ArrayList<>();
        long steps = Math.round((domainMax - domainMin) / tickStep);
        for (long i = 0; i <= steps; i++) {
            ticks.add(domainMin + i * tickStep);
        }
        return ticks;
    }

    /** Returns the smallest step of 1, 2 or 5 times a power of ten that is at least {@code rawStep}. */
    static double niceStep(double rawStep) {
        double power = Math.pow(10, Math.floor(Math.log10(rawStep)));
        double fraction = rawStep / power;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * power;
    }
}
