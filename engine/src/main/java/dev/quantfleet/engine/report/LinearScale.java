package dev.quantfleet.engine.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps a data interval onto a pixel interval and picks round tick values (steps of 1, 2 or 5
 * times a power of ten). The domain is widened to the enclosing ticks, so every point lies
 * inside the axes; an empty or single-value domain is widened around its value.
 */
final class LinearScale {

    private final double pixelStart;
    private final double pixelEnd;
    private final Step step;
    private final long firstTick;
    private final long lastTick;
    private final double domainMin;
    private final double domainMax;

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
        this.step = Step.atLeast((dataMax - dataMin) / tickCount);
        // The 1e-9 tolerance keeps a value that is a tick, such as 0.95 / 0.01 = 94.99999999999999, on that tick.
        this.firstTick = (long) Math.floor(dataMin / step.size() + 1e-9);
        this.lastTick = (long) Math.ceil(dataMax / step.size() - 1e-9);
        this.domainMin = step.tick(firstTick);
        this.domainMax = step.tick(lastTick);
        this.pixelStart = pixelStart;
        this.pixelEnd = pixelEnd;
    }

    double pixel(double value) {
        return pixelStart + (value - domainMin) / (domainMax - domainMin) * (pixelEnd - pixelStart);
    }

    /** Returns the tick values from the domain's start to its end. */
    List<Double> ticks() {
        List<Double> ticks = new ArrayList<>();
        for (long index = firstTick; index <= lastTick; index++) {
            ticks.add(step.tick(index));
        }
        return ticks;
    }

    /** Returns the smallest step of 1, 2 or 5 times a power of ten that is at least {@code rawStep}. */
    static double niceStep(double rawStep) {
        return Step.atLeast(rawStep).size();
    }

    /**
     * A tick step of {@code mantissa * 10^exponent}. Tick {@code k} is computed as
     * {@code k * mantissa / 10^-exponent} for negative exponents, so 95 ticks of 0.01 give
     * exactly 0.95 instead of the 0.9500000000000001 of {@code 95 * 0.01}.
     */
    private record Step(int mantissa, int exponent) {

        static Step atLeast(double rawStep) {
            int exponent = (int) Math.floor(Math.log10(rawStep));
            double fraction = rawStep / Math.pow(10, exponent);
            double tolerance = 1e-9;
            int mantissa = 10;
            for (int candidate : new int[] {5, 2, 1}) {
                if (fraction <= candidate + tolerance) {
                    mantissa = candidate;
                }
            }
            return new Step(mantissa, exponent);
        }

        double size() {
            return tick(1);
        }

        double tick(long index) {
            return exponent >= 0
                    ? index * mantissa * Math.pow(10, exponent)
                    : (double) (index * mantissa) / Math.pow(10, -exponent);
        }
    }
}
