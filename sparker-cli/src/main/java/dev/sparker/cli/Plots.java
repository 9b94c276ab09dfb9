package dev.sparker.cli;

import dev.sparker.calibration.Significance;
import dev.sparker.model.KernelModel;
import dev.sparker.model.Samples;
import dev.sparker.output.AtomicFiles;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.hipparchus.distribution.continuous.ChiSquaredDistribution;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The PNG plots of {@code expo1d} (XChart). */
final class Plots {
    private static final int W = 900;
    private static final int H = 560;

    private Plots() {
    }

    /** Null t histogram (as a density) with the fitted chi-square, as in the paper's Figure 5. */
    static void nullWithChiSquare(double[] nullT, Significance.ChiSquareFit fit, String title, Path file) throws IOException {
        XYChart chart = nullWithChiSquareChart(nullT, fit, title);
        AtomicFiles.write(file, tmp -> BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG));
    }

    /** The chart of {@link #nullWithChiSquare}. */
    static XYChart nullWithChiSquareChart(double[] nullT, Significance.ChiSquareFit fit, String title) {
        XYChart chart = chart(title, "t", "density");
        double hi = Arrays.stream(nullT).max().orElse(1) * 1.05;
        double lo = Math.min(0, Arrays.stream(nullT).min().orElse(0));
        Hist h = histogram(nullT, lo, hi, bins(nullT.length), true);
        step(chart, "null toys (" + nullT.length + ")", h);
        ChiSquaredDistribution chi2 = new ChiSquaredDistribution(fit.dof());
        int n = 300;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = Math.max(1e-3, lo) + (hi - Math.max(1e-3, lo)) * i / (n - 1);
            y[i] = chi2.density(x[i]);
        }
        XYSeries s = chart.addSeries(String.format("chi2, dof = %.2f +- %.2f (%s), KS p = %.3f%s", fit.dof(),
                fit.dofError(), fit.method(), fit.ksP(),
                fit.dropped() > 0 ? ", fitted to the " + fit.used() + " toys with t > 0" : ""), x, y);
        double top = Arrays.stream(h.y).max().orElse(1);
        for (double v : y) {
            if (Double.isFinite(v) && v < 10 * top) {
                top = Math.max(top, v);
            }
        }
        chart.getStyler().setYAxisMax(1.2 * top);
        s.setMarker(SeriesMarkers.NONE);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        return chart;
    }

    /**
     * The paper's Figure 1: median Z (from the fitted null chi-square) against M, one panel per signal, one line
     * per model and schedule (the same colour in every panel), each point with a vertical bar over Z at the ends of
     * the median's 68 % interval; lines are set slightly apart in M so that equal values stay visible. A Z that
     * does not exist (median t at or below every null t) is not drawn.
     */
    static void studyFigure1(List<PaperSummary.RunSummary> runs, List<String> signals, Path file) throws IOException {
        List<String> labels = runs.stream().map(PaperSummary.RunSummary::label).distinct().toList();
        List<XYChart> panels = new ArrayList<>();
        for (String signal : signals) {
            XYChart chart = new XYChartBuilder().width(W).height(H)
                    .title(signal + ": median Z against M (bars: Z over the median's 68% interval)")
                    .xAxisTitle("M (kernels)").yAxisTitle("median Z (fitted chi-square null)").build();
            // bottom right: between M = 50 and 1000 no model's Z sits near zero, while small M can reach the top left
            chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
            chart.getStyler().setChartBackgroundColor(Color.WHITE);
            chart.getStyler().setXAxisLogarithmic(true);
            chart.getStyler().setXAxisMin(5.0);
            chart.getStyler().setXAxisMax(2000.0);
            double yMin = 0;
            double yMax = 1;
            boolean any = false;
            for (int k = 0; k < labels.size(); k++) {
                String label = labels.get(k);
                double shift = Math.pow(1.06, k - (labels.size() - 1) / 2.0);
                List<PaperSummary.RunSummary> line = runs.stream().filter(r -> r.label().equals(label))
                        .filter(r -> r.signal(signal) != null && Double.isFinite(r.signal(signal).zChiSquare()))
                        .sorted(java.util.Comparator.comparingInt(PaperSummary.RunSummary::kernels)).toList();
                if (line.isEmpty()) {
                    continue;
                }
                any = true;
                Color color = SERIES_COLORS[k % SERIES_COLORS.length];
                double[] x = line.stream().mapToDouble(r -> r.kernels() * shift).toArray();
                double[] y = line.stream().mapToDouble(r -> r.signal(signal).zChiSquare()).toArray();
                XYSeries s = chart.addSeries(label, x, y);
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setLineColor(color);
                s.setMarkerColor(color);
                for (PaperSummary.RunSummary r : line) {
                    PaperSummary.SignalSummary sig = r.signal(signal);
                    double z = sig.zChiSquare();
                    double lo = Double.isFinite(sig.zChiSquareLow()) ? sig.zChiSquareLow() : Math.min(z, 0) - 0.5;
                    double hi = Double.isFinite(sig.zChiSquareHigh()) ? sig.zChiSquareHigh() : z;
                    yMin = Math.min(yMin, lo);
                    yMax = Math.max(yMax, hi);
                    XYSeries bar = chart.addSeries("68% " + r.run() + " " + signal, new double[] {r.kernels() * shift,
                            r.kernels() * shift}, new double[] {lo, hi});
                    bar.setMarker(SeriesMarkers.NONE);
                    bar.setLineColor(color);
                    bar.setShowInLegend(false);
                }
            }
            if (!any) {
                chart.addSeries("no toys of this signal yet", new double[] {10, 1000}, new double[] {0, 0})
                        .setMarker(SeriesMarkers.NONE);
            }
            chart.getStyler().setYAxisMin(yMin - 0.05 * (yMax - yMin));
            chart.getStyler().setYAxisMax(yMax + 0.15 * (yMax - yMin));
            panels.add(chart);
        }
        saveGrid(panels, file);
    }

    /** Panels two per row; XChart wants a full grid, so an odd count gets an empty last panel. */
    private static void saveGrid(List<XYChart> panels, Path file) throws IOException {
        List<XYChart> grid = new ArrayList<>(panels);
        if (grid.size() > 1 && grid.size() % 2 == 1) {
            XYChart blank = chart("", "", "");
            XYSeries s = blank.addSeries(" ", new double[] {0}, new double[] {0});
            s.setMarker(SeriesMarkers.NONE);
            s.setShowInLegend(false);
            blank.getStyler().setLegendVisible(false);
            blank.getStyler().setAxisTicksVisible(false);
            blank.getStyler().setPlotBorderVisible(false);
            blank.getStyler().setPlotGridLinesVisible(false);
            grid.add(blank);
        }
        int cols = Math.min(2, grid.size());
        AtomicFiles.write(file, tmp -> BitmapEncoder.saveBitmap(grid, grid.size() / cols, cols, tmp.toString(), BitmapEncoder.BitmapFormat.PNG));
    }

    /** The paper's Figure 5: the null t histogram of each run with its fitted chi-square, one panel per run. */
    static void studyFigure5(List<PaperSummary.RunSummary> runs, Path file) throws IOException {
        List<XYChart> panels = new ArrayList<>();
        for (PaperSummary.RunSummary r : runs) {
            panels.add(nullWithChiSquareChart(r.nullT(), Significance.fitChiSquare(r.nullT()),
                    String.format(java.util.Locale.ROOT, "%s, M = %d, N_R = %d: null t", r.label(), r.kernels(),
                            r.referenceSize())));
        }
        saveGrid(panels, file);
    }

    private static final Color[] SERIES_COLORS = {new Color(0x2e7d32), new Color(0xef6c00), new Color(0x1565c0),
            new Color(0x6a1b9a), new Color(0x455a64)};

    /** Null and signal t distributions side by side (densities). */
    static void nullVsSignal(double[] nullT, Map<String, double[]> signals, String title, Path file) throws IOException {
        XYChart chart = chart(title, "t", "density");
        double lo = Arrays.stream(nullT).min().orElse(0);
        double hi = Arrays.stream(nullT).max().orElse(1);
        for (double[] s : signals.values()) {
            lo = Math.min(lo, Arrays.stream(s).min().orElse(lo));
            hi = Math.max(hi, Arrays.stream(s).max().orElse(hi));
        }
        hi = hi + 0.02 * (hi - lo);
        step(chart, "null (" + nullT.length + " toys)", histogram(nullT, lo, hi, 40, true));
        for (Map.Entry<String, double[]> e : signals.entrySet()) {
            step(chart, e.getKey() + " (" + e.getValue().length + " toys)", histogram(e.getValue(), lo, hi, 40, true));
        }
        AtomicFiles.write(file, tmp -> BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG));
    }

    /**
     * For one toy: top, the data histogram and the reference histogram (weighted, so it predicts the data
     * counts) on a log scale; bottom, the learned f(x) beside the per-bin log(data / reference), with the
     * kernel locations marked (marker size grows with |a_i|) as in the paper's Figure 3.
     */
    static void learnedF(KernelModel model, Samples data, Samples reference, double t, String title, Path file)
            throws IOException {
        double hi = 0;
        for (int i = 0; i < data.size(); i++) {
            hi = Math.max(hi, data.coordinate(i, 0));
        }
        for (int i = 0; i < model.size(); i++) {
            hi = Math.max(hi, model.location(i)[0]);
        }
        hi = Math.ceil(hi + 0.5);
        int bins = 50;
        Hist hd = weightedHistogram(data, 0, hi, bins);
        Hist hr = weightedHistogram(reference, 0, hi, bins);

        XYChart top = chart(title + String.format("  (t = %.2f)", t), "x", "events per bin");
        top.getStyler().setYAxisLogarithmic(true);
        top.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        step(top, "data (" + data.size() + " events)", positive(hd));
        step(top, "reference x w (expected under the null)", positive(hr));
        double[] kx = new double[model.size()];
        double[] ky = new double[model.size()];
        double ymax = Arrays.stream(hr.y).max().orElse(1);
        for (int i = 0; i < model.size(); i++) {
            kx[i] = model.location(i)[0];
            ky[i] = ymax * 1.5;
        }
        XYSeries ks = top.addSeries("kernel locations mu_i", kx, ky);
        ks.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        ks.setMarker(SeriesMarkers.TRIANGLE_DOWN);

        XYChart bottom = chart("learned log density ratio", "x", "f(x)");
        int n = 400;
        double[] x = new double[n];
        double[] f = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = hi * i / (n - 1);
            f[i] = model.evaluate(new double[] {x[i]});
        }
        XYSeries fs = bottom.addSeries("learned f(x)", x, f);
        fs.setMarker(SeriesMarkers.NONE);
        fs.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        List<Double> rx = new ArrayList<>();
        List<Double> ry = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            if (hd.y[b] > 0 && hr.y[b] > 0) {
                rx.add(hd.x[b]);
                ry.add(Math.log(hd.y[b] / hr.y[b]));
            }
        }
        if (!rx.isEmpty()) {
            XYSeries rs = bottom.addSeries("log(data / reference) per bin", rx, ry);
            rs.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            rs.setMarker(SeriesMarkers.CIRCLE);
        }
        double[] kf = new double[model.size()];
        for (int i = 0; i < model.size(); i++) {
            kf[i] = model.evaluate(model.location(i));
        }
        XYSeries km = bottom.addSeries("kernel locations mu_i", kx, kf);
        km.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        km.setMarker(SeriesMarkers.TRIANGLE_DOWN);

        BufferedImage a = BitmapEncoder.getBufferedImage(top);
        BufferedImage b = BitmapEncoder.getBufferedImage(bottom);
        BufferedImage both = new BufferedImage(W, a.getHeight() + b.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, both.getWidth(), both.getHeight());
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, 0, a.getHeight(), null);
        g.dispose();
        AtomicFiles.write(file, tmp -> ImageIO.write(both, "png", tmp.toFile()));
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        return chart;
    }

    /** A histogram as a step line: XChart's step goes right from each point, so points sit on left bin edges. */
    private static void step(XYChart chart, String name, Hist h) {
        int n = h.x.length;
        double width = n > 1 ? h.x[1] - h.x[0] : 1;
        double[] x = new double[n + 1];
        double[] y = new double[n + 1];
        for (int b = 0; b < n; b++) {
            x[b] = h.x[b] - width / 2;
            y[b] = h.y[b];
        }
        x[n] = h.x[n - 1] + width / 2;
        y[n] = h.y[n - 1];
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        s.setMarker(SeriesMarkers.NONE);
    }

    private static int bins(int n) {
        return Math.max(10, Math.min(60, (int) Math.round(2 * Math.cbrt(n) * 2)));
    }

    /** Bin centres and contents. */
    private record Hist(double[] x, double[] y) {
    }

    private static Hist histogram(double[] v, double lo, double hi, int bins, boolean density) {
        double width = (hi - lo) / bins;
        double[] x = new double[bins];
        double[] y = new double[bins];
        for (int b = 0; b < bins; b++) {
            x[b] = lo + (b + 0.5) * width;
        }
        for (double t : v) {
            int b = (int) Math.floor((t - lo) / width);
            if (b >= 0 && b < bins) {
                y[b]++;
            } else if (b == bins) {
                y[bins - 1]++;
            }
        }
        if (density) {
            for (int b = 0; b < bins; b++) {
                y[b] /= v.length * width;
            }
        }
        return new Hist(x, y);
    }

    private static Hist weightedHistogram(Samples s, double lo, double hi, int bins) {
        double width = (hi - lo) / bins;
        double[] x = new double[bins];
        double[] y = new double[bins];
        for (int b = 0; b < bins; b++) {
            x[b] = lo + (b + 0.5) * width;
        }
        for (int i = 0; i < s.size(); i++) {
            int b = (int) Math.floor((s.coordinate(i, 0) - lo) / width);
            if (b >= 0 && b < bins) {
                y[b] += s.weight(i);
            }
        }
        return new Hist(x, y);
    }

    /** Log-scale axes cannot show zero: empty bins are drawn at a floor below the smallest content. */
    private static Hist positive(Hist h) {
        double min = Arrays.stream(h.y).filter(v -> v > 0).min().orElse(1);
        double[] y = h.y.clone();
        for (int i = 0; i < y.length; i++) {
            if (y[i] <= 0) {
                y[i] = min / 10;
            }
        }
        return new Hist(h.x, y);
    }
}
