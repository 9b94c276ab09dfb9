package dev.sparker.cli;

import dev.sparker.calibration.Significance;
import dev.sparker.output.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The PNG of {@code compare} (XChart): median Z versus M, as the paper's Figure 1. */
final class ComparePlots {
    private static final int W = 900;
    private static final int H = 600;
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b)};

    private ComparePlots() {
    }

    /**
     * One series per model and signal: Z from the fitted chi-square at the median signal t against M (log axis),
     * with error bars over the median's 68 % interval (asymmetric, drawn as vertical segments). The models sit
     * a little left (SparKer) and right (Falkon) of each M so their bars do not overlap; colour is the signal,
     * solid circles SparKer, dashed diamonds Falkon. Points whose Z is not finite are left out.
     */
    static void medianZVersusM(List<dev.sparker.expo.Expo1dComparison.Row> rows, String title, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle("M (kernels / Nystrom centres)")
                .yAxisTitle("median Z (chi-square fit), 68% bars").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(9);

        Map<String, List<dev.sparker.expo.Expo1dComparison.Row>> series = new LinkedHashMap<>();
        List<String> signalOrder = new ArrayList<>();
        for (dev.sparker.expo.Expo1dComparison.Row r : rows) {
            if (r.sensitivity() == null) {
                continue;
            }
            series.computeIfAbsent(r.model() + " | " + r.signal(), k -> new ArrayList<>()).add(r);
            if (!signalOrder.contains(r.signal())) {
                signalOrder.add(r.signal());
            }
        }
        boolean any = false;
        for (Map.Entry<String, List<dev.sparker.expo.Expo1dComparison.Row>> e : series.entrySet()) {
            List<dev.sparker.expo.Expo1dComparison.Row> pts = new ArrayList<>(e.getValue());
            pts.sort((a, b) -> Integer.compare(a.kernels(), b.kernels()));
            dev.sparker.expo.Expo1dComparison.Row first = pts.getFirst();
            boolean falkon = first.model().equals("falkon");
            double shift = falkon ? 1.05 : 1 / 1.05;
            Color colour = COLOURS[signalOrder.indexOf(first.signal()) % COLOURS.length];
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (dev.sparker.expo.Expo1dComparison.Row r : pts) {
                Significance.Sensitivity s = r.sensitivity();
                if (!Double.isFinite(s.zAsymptotic())) {
                    continue;
                }
                double xm = r.kernels() * shift;
                x.add(xm);
                y.add(s.zAsymptotic());
                double lo = s.zAsymptoticLow();
                double hi = s.zAsymptoticHigh();
                if (Double.isFinite(lo) && Double.isFinite(hi) && hi > lo) {
                    XYSeries bar = chart.addSeries(e.getKey() + " 68% M=" + r.kernels(), new double[] {xm, xm}, new double[] {lo, hi});
                    bar.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                    bar.setMarker(SeriesMarkers.NONE);
                    bar.setLineColor(colour);
                    bar.setLineStyle(new BasicStroke(1.5f));
                    bar.setShowInLegend(false);
                }
            }
            if (x.isEmpty()) {
                continue;
            }
            any = true;
            XYSeries s = chart.addSeries((falkon ? "Falkon-NPLM, " : "SparKer, ") + first.signal(), x, y);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            Marker marker = falkon ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE;
            s.setMarker(marker);
            s.setMarkerColor(colour);
            s.setLineColor(colour);
            s.setLineStyle(falkon ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
                    : new BasicStroke(2f));
        }
        if (!any) {
            // an empty chart cannot be drawn by XChart; show a flat placeholder at Z = 0
            XYSeries s = chart.addSeries("no finite Z", new double[] {1, 10}, new double[] {0, 0});
            s.setMarker(SeriesMarkers.NONE);
        }
        AtomicFiles.write(file, tmp -> BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG));
    }
}
