package dev.sparker.cli;

import dev.sparker.calibration.Significance;
import dev.sparker.io.FeatureMarginals;
import dev.sparker.output.AtomicFiles;
import dev.sparker.train.TrainingHistory;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.hipparchus.distribution.continuous.ChiSquaredDistribution;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNG plots of {@code ./sparker test} (XChart). File names:
 * <ul>
 *   <li>{@code feature-NN-NAME.png}, one per feature ({@code NN} the 0-based feature index, two digits;
 *       {@code NAME} the feature name with characters other than letters, digits, {@code _ . -} replaced by
 *       {@code _}): the paper's Figure 3 for that feature;</li>
 *   <li>{@code kernel-locations.png}: the kernel locations' marginals, one panel per feature, the top 10 %
 *       positively weighted kernels filled (the paper's Figures 6-11, for the observed data);</li>
 *   <li>{@code training-curve.png}: L_NP, the coefficient penalty and the location entropy per epoch;</li>
 *   <li>{@code null-t.png}: the null t distribution with the fitted chi-square and the observed t (only with
 *       null toys).</li>
 * </ul>
 */
final class TestPlots {
    static final String KERNEL_FILE = "kernel-locations.png";
    static final String NULL_FILE = "null-t.png";
    static final String TRAINING_FILE = "training-curve.png";
    private static final int W = 900;
    private static final int H = 460;
    private static final int PANEL_W = 420;
    private static final int PANEL_H = 300;

    private TestPlots() {
    }

    static String featureFileName(int index, String name) {
        return String.format(Locale.ROOT, "feature-%02d-%s.png", index, name.replaceAll("[^A-Za-z0-9_.-]", "_"));
    }

    /**
     * Top: data, reference (weighted: the null's prediction) and the reference reweighted by {@code e^f} (the
     * learned model's prediction) per bin, log scale. Bottom: {@code log(data / reference)} per bin beside the
     * learned {@code f} projected on this feature ({@code log(fitted / reference)} per bin: the reference-weighted
     * mean of {@code e^f} in the bin), with the kernel locations marked (positive and negative coefficients
     * apart) at their coefficients.
     */
    static void feature(FeatureMarginals.Marginal mg, double t, Path file) throws IOException {
        int bins = mg.data().length;
        double[] centre = new double[bins];
        for (int b = 0; b < bins; b++) {
            centre[b] = 0.5 * (mg.edges()[b] + mg.edges()[b + 1]);
        }
        XYChart top = chart(String.format(Locale.ROOT, "%s  (t = %.3f)", mg.feature(), t), mg.feature(), "events per bin");
        top.getStyler().setYAxisLogarithmic(true);
        double floor = floorOf(mg.data(), mg.reference(), mg.fitted());
        step(top, "data", mg.edges(), atLeast(mg.data(), floor));
        step(top, "reference (weighted)", mg.edges(), atLeast(mg.reference(), floor));
        step(top, "reference x e^f (learned model)", mg.edges(), atLeast(mg.fitted(), floor));

        XYChart bottom = chart("learned f projected on " + mg.feature(), mg.feature(), "log ratio");
        bottom.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        List<Double> rx = new ArrayList<>();
        List<Double> ry = new ArrayList<>();
        List<Double> fx = new ArrayList<>();
        List<Double> fy = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            if (mg.reference()[b] > 0) {
                fx.add(centre[b]);
                fy.add(Math.log(mg.fitted()[b] / mg.reference()[b]));
                if (mg.data()[b] > 0) {
                    rx.add(centre[b]);
                    ry.add(Math.log(mg.data()[b] / mg.reference()[b]));
                }
            }
        }
        if (!fx.isEmpty()) {
            XYSeries f = bottom.addSeries("f projected: log(reference x e^f / reference)", fx, fy);
            f.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            f.setMarker(SeriesMarkers.NONE);
        }
        if (!rx.isEmpty()) {
            XYSeries r = bottom.addSeries("log(data / reference) per bin", rx, ry);
            r.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            r.setMarker(SeriesMarkers.CIRCLE);
        }
        double[] loc = mg.kernelLocations();
        double[] a = mg.kernelCoefficients();
        List<Double> px = new ArrayList<>();
        List<Double> py = new ArrayList<>();
        List<Double> nx = new ArrayList<>();
        List<Double> ny = new ArrayList<>();
        for (int i = 0; i < loc.length; i++) {
            (a[i] >= 0 ? px : nx).add(loc[i]);
            (a[i] >= 0 ? py : ny).add(0.0);
        }
        if (!px.isEmpty()) {
            XYSeries s = bottom.addSeries("kernel locations, a_i >= 0", px, py);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.TRIANGLE_UP);
            s.setMarkerColor(new Color(200, 30, 30));
        }
        if (!nx.isEmpty()) {
            XYSeries s = bottom.addSeries("kernel locations, a_i < 0", nx, ny);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.TRIANGLE_DOWN);
            s.setMarkerColor(new Color(30, 30, 200));
        }
        stack(List.of(BitmapEncoder.getBufferedImage(top), BitmapEncoder.getBufferedImage(bottom)), 1, file);
    }

    /**
     * One panel per feature: the histogram of the M kernel locations (original units) and, filled, that of
     * the top 10 % positively weighted kernels (at least one, when any coefficient is positive).
     */
    static void kernelLocations(List<FeatureMarginals.Marginal> marginals, Path file) throws IOException {
        double[] a = marginals.getFirst().kernelCoefficients();
        Integer[] order = new Integer[a.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(a[y], a[x]));
        int top = (int) Math.ceil(0.1 * a.length);
        List<Integer> best = new ArrayList<>();
        for (int q = 0; q < top; q++) {
            if (a[order[q]] > 0) {
                best.add(order[q]);
            }
        }
        List<BufferedImage> panels = new ArrayList<>();
        for (FeatureMarginals.Marginal mg : marginals) {
            double[] loc = mg.kernelLocations();
            double lo = Math.min(mg.edges()[0], Arrays.stream(loc).min().orElse(0));
            double hi = Math.max(mg.edges()[mg.edges().length - 1], Arrays.stream(loc).max().orElse(1));
            if (!(hi > lo)) {
                hi = lo + 1;
            }
            int bins = 20;
            double[] edges = new double[bins + 1];
            for (int b = 0; b <= bins; b++) {
                edges[b] = lo + (hi - lo) * b / bins;
            }
            double[] all = new double[bins];
            double[] highlighted = new double[bins];
            for (int i = 0; i < loc.length; i++) {
                all[binOf(loc[i], lo, hi, bins)]++;
            }
            for (int i : best) {
                highlighted[binOf(loc[i], lo, hi, bins)]++;
            }
            XYChart c = new XYChartBuilder().width(PANEL_W).height(PANEL_H).title(mg.feature())
                    .xAxisTitle(mg.feature()).yAxisTitle("kernels").build();
            c.getStyler().setChartBackgroundColor(Color.WHITE);
            c.getStyler().setXAxisDecimalPattern("0.###");
            c.getStyler().setYAxisDecimalPattern("0");
            c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
            c.getStyler().setLegendVisible(panels.isEmpty());
            XYSeries h = step(c, "all " + loc.length + " kernels", edges, all);
            h.setLineColor(Color.BLACK);
            if (!best.isEmpty()) {
                XYSeries s = step(c, "top 10% positive a_i (" + best.size() + ")", edges, highlighted);
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
                s.setFillColor(new Color(200, 30, 30, 150));
                s.setLineColor(new Color(200, 30, 30));
            }
            panels.add(BitmapEncoder.getBufferedImage(c));
        }
        stack(panels, Math.min(4, panels.size()), file);
    }

    /**
     * The training curve: one panel per loss term against the epoch, each evaluated at the end of its epoch:
     * {@code L_NP} (with {@code t = -2 L_NP} in the title), the coefficient penalty (times lambda_a) and the location
     * entropy {@code L_H}. A curve that still falls at the last epoch says training had not settled.
     */
    static void trainingCurve(TrainingHistory h, Path file) throws IOException {
        int n = h.epochs();
        double[] epoch = new double[n];
        for (int e = 0; e < n; e++) {
            epoch[e] = e + 1;
        }
        double[][] ys = {h.npLoss(), h.coefficientPenalty(), h.locationEntropy()};
        String[] names = {String.format(Locale.ROOT, "L_NP (last %.5g, t = %.4g)", n == 0 ? Double.NaN : ys[0][n - 1],
                n == 0 ? Double.NaN : -2 * ys[0][n - 1]), "coefficient penalty (x lambda_a)", "location entropy L_H"};
        List<BufferedImage> panels = new ArrayList<>();
        for (int k = 0; k < ys.length; k++) {
            XYChart c = new XYChartBuilder().width(W).height(PANEL_H).title(names[k]).xAxisTitle("epoch")
                    .yAxisTitle(k == 0 ? "L_NP" : k == 1 ? "penalty" : "L_H").build();
            c.getStyler().setChartBackgroundColor(Color.WHITE);
            c.getStyler().setLegendVisible(false);
            c.getStyler().setXAxisDecimalPattern("0");
            XYSeries s = c.addSeries(names[k], epoch, ys[k]);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(n <= 50 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            panels.add(BitmapEncoder.getBufferedImage(c));
        }
        stack(panels, 1, file);
    }

    /** The null t histogram (density) with the fitted chi-square and a vertical line at the observed t. */
    static void nullT(double[] nullT, Significance.ChiSquareFit fit, double t, Path file) throws IOException {
        XYChart chart = chart(String.format(Locale.ROOT, "null t (%d resampling toys) and observed t = %.3f", nullT.length, t),
                "t", "density");
        double lo = Math.min(0, Arrays.stream(nullT).min().orElse(0));
        // the histogram spans the toys; the axis (and the chi-square curve) reach the observed t as well
        double hi = Arrays.stream(nullT).max().orElse(1) * 1.05;
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        double axisHi = Math.max(hi, t * 1.05);
        int bins = Math.max(8, Math.min(50, (int) Math.round(2 * Math.sqrt(nullT.length))));
        double[] edges = new double[bins + 1];
        for (int b = 0; b <= bins; b++) {
            edges[b] = lo + (hi - lo) * b / bins;
        }
        double width = (hi - lo) / bins;
        double[] y = new double[bins];
        for (double v : nullT) {
            y[binOf(v, lo, hi, bins)] += 1.0 / (nullT.length * width);
        }
        step(chart, "null toys", edges, y);
        ChiSquaredDistribution chi2 = new ChiSquaredDistribution(fit.dof());
        int n = 300;
        double[] x = new double[n];
        double[] f = new double[n];
        double x0 = Math.max(1e-3 * hi, lo);
        double ymax = Arrays.stream(y).max().orElse(1);
        for (int i = 0; i < n; i++) {
            x[i] = x0 + (axisHi - x0) * i / (n - 1);
            f[i] = Math.min(chi2.density(x[i]), 3 * ymax);
        }
        XYSeries s = chart.addSeries(String.format(Locale.ROOT, "chi2 fit, dof = %.2f +- %.2f", fit.dof(), fit.dofError()), x, f);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        XYSeries obs = chart.addSeries(String.format(Locale.ROOT, "observed t = %.3f", t), new double[] {t, t},
                new double[] {0, 1.1 * ymax});
        obs.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        obs.setMarker(SeriesMarkers.NONE);
        obs.setLineColor(new Color(200, 30, 30));
        AtomicFiles.write(file, tmp -> BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG));
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisDecimalPattern("0.###");
        return chart;
    }

    /** A histogram from its edges as a step line (XChart's step goes right from each point). */
    private static XYSeries step(XYChart chart, String name, double[] edges, double[] counts) {
        int n = counts.length;
        double[] x = new double[n + 1];
        double[] y = new double[n + 1];
        for (int b = 0; b < n; b++) {
            x[b] = edges[b];
            y[b] = counts[b];
        }
        x[n] = edges[n];
        y[n] = counts[n - 1];
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    private static int binOf(double x, double lo, double hi, int bins) {
        int b = (int) Math.floor((x - lo) / (hi - lo) * bins);
        return Math.max(0, Math.min(bins - 1, b));
    }

    /** Log axes cannot show zero: empty bins are drawn at a floor a decade below the smallest content. */
    private static double floorOf(double[]... hs) {
        double min = Double.POSITIVE_INFINITY;
        for (double[] h : hs) {
            for (double v : h) {
                if (v > 0) {
                    min = Math.min(min, v);
                }
            }
        }
        return Double.isFinite(min) ? min / 10 : 0.1;
    }

    private static double[] atLeast(double[] h, double floor) {
        double[] y = h.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.max(y[i], floor);
        }
        return y;
    }

    /** Lays images out in a grid, {@code columns} wide, on white. */
    private static void stack(List<BufferedImage> images, int columns, Path file) throws IOException {
        int cw = images.stream().mapToInt(BufferedImage::getWidth).max().orElse(1);
        int ch = images.stream().mapToInt(BufferedImage::getHeight).max().orElse(1);
        int rows = (images.size() + columns - 1) / columns;
        BufferedImage all = new BufferedImage(cw * columns, ch * rows, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, all.getWidth(), all.getHeight());
        for (int i = 0; i < images.size(); i++) {
            g.drawImage(images.get(i), (i % columns) * cw, (i / columns) * ch, null);
        }
        g.dispose();
        AtomicFiles.write(file, tmp -> ImageIO.write(all, "png", tmp.toFile()));
    }
}
