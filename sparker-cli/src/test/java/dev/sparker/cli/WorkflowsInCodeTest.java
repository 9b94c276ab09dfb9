package dev.sparker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparker.calibration.ToyRow;
import dev.sparker.engine.Engine;
import dev.sparker.engine.EngineSettings;
import dev.sparker.engine.Engines;
import dev.sparker.engine.Precision;
import dev.sparker.expo.Expo1dSignal;
import dev.sparker.expo.Expo1dStudy;
import dev.sparker.falkon.FalkonExpo1dModel;
import dev.sparker.io.CsvWriter;
import dev.sparker.io.FileTest;
import dev.sparker.model.Samples;
import dev.sparker.train.Preset;
import dev.sparker.train.ResultJson;
import dev.sparker.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workflows behind {@code ./sparker test} and {@code ./sparker expo1d}, called in code as a backend would: their
 * typed results hold the same bits as the result.json the command writes for the same settings (each run in its own
 * folder, so nothing is resumed), their JSON has the command's keys, and progress reaches the listener.
 */
class WorkflowsInCodeTest {
    @TempDir
    Path dir;

    private static final Engine SCALAR = Engines.select("scalar").engine();

    private static Samples sample(int n, int signal, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            boolean s = i < signal;
            x[i] = new double[] {s ? 3 + 0.2 * r.nextGaussian() : r.nextGaussian(), 2 * r.nextGaussian()};
        }
        return Samples.of(x, 1.0);
    }

    private static JsonNode json(Path file) throws IOException {
        return new ObjectMapper().readTree(file.toFile());
    }

    /** Every field name under {@code node}, as JSON pointers (array elements by index). */
    private static List<String> pointers(JsonNode node, String at) {
        List<String> out = new ArrayList<>();
        if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                out.add(at + "/" + f);
                out.addAll(pointers(node.get(f), at + "/" + f));
            }
        }
        return out;
    }

    @Test
    void fileTestInCodeGivesTheCommandsBits() throws IOException {
        Path ref = dir.resolve("reference.csv");
        Path data = dir.resolve("data.csv");
        CsvWriter.write(ref, sample(1500, 0, 1), List.of("a", "b"), null);
        CsvWriter.write(data, sample(150, 15, 2), List.of("a", "b"), null);
        Path cliOut = dir.resolve("cli");
        CliRun r = CliRun.of("test", "--reference", ref.toString(), "--data", data.toString(), "--preset", "gw-12d",
                "--kernels", "4", "--epochs", "6", "--steps", "5", "--null-toys", "3", "--engine", "scalar",
                "--threads", "2", "--seed", "9", "--no-plots", "--out", cliOut.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode cli = json(cliOut.resolve("result.json"));

        TrainingConfig config = TrainingConfig.preset(Preset.GW_12D, 4).toBuilder().epochs(6).coefficientSteps(5)
                .locationSteps(5).seed(9).build();
        FileTest.Request request = FileTest.Request.of(ref, data, config).withNullToys(3);
        AtomicInteger toys = new AtomicInteger();
        AtomicInteger epochs = new AtomicInteger();
        List<String> steps = new ArrayList<>();
        FileTest.Listener listener = new FileTest.Listener() {
            @Override
            public void toyDone(ToyRow row, int done, int total) {
                toys.incrementAndGet();
            }

            @Override
            public void epochDone(int epoch, int total, double npLoss) {
                epochs.incrementAndGet();
            }

            @Override
            public void inputsRead(FileTest.Inputs inputs) {
                steps.add("read");
            }

            @Override
            public void nullToysStarting(int n) {
                steps.add("null toys " + n);
            }

            @Override
            public void trainingStarting(FileTest.Inputs inputs, TrainingConfig fixed) {
                steps.add("training");
            }
        };
        FileTest.Result lib = FileTest.run(request, new FileTest.Execution(SCALAR, "asked for by name", Precision.DOUBLE, 2, 2,
                dir.resolve("lib"), null, false), listener);

        assertEquals(Double.doubleToLongBits(cli.get("t").asDouble()), Double.doubleToLongBits(lib.t()), "t, same bits");
        assertEquals(cli.get("sigma").asDouble(), lib.sigma(), 0.0);
        assertEquals(cli.get("pEmpirical").asDouble(), lib.pEmpirical(), 0.0);
        assertEquals(cli.get("pChiSquare").asDouble(), lib.pChiSquare(), 0.0);
        for (int i = 0; i < 3; i++) {
            assertEquals(cli.at("/null/t/" + i).asDouble(), lib.nullCalibration().t()[i], 0.0, "null toy " + i);
        }
        assertEquals(List.of("read", "null toys 3", "training"), steps);
        assertEquals(3, toys.get());
        assertEquals(6, epochs.get());

        // the typed result written by Jackson has every key of the command's file but the command's own three
        JsonNode written = new ObjectMapper().readTree(ResultJson.toJson(lib));
        List<String> expected = new ArrayList<>(pointers(cli, ""));
        expected.removeIf(p -> p.equals("/command") || p.startsWith("/plots") || p.startsWith("/wallSeconds"));
        assertEquals(expected, pointers(written, ""));
        assertEquals(cli.at("/configuration"), written.at("/configuration"));
        assertEquals(cli.at("/kernels"), written.at("/kernels"));
    }

    @Test
    void fileTestMismatchNamesTheSetting() throws IOException {
        Path ref = dir.resolve("r.csv");
        Path data = dir.resolve("d.csv");
        CsvWriter.write(ref, sample(40, 0, 1), List.of("a", "b"), null);
        CsvWriter.write(data, sample(60, 0, 2), List.of("a", "b"), null);
        FileTest.Request request = FileTest.Request.of(ref, data, TrainingConfig.preset(Preset.GW_12D, 2)).withNullToys(3);
        FileTest.MismatchException e = org.junit.jupiter.api.Assertions.assertThrows(FileTest.MismatchException.class,
                () -> FileTest.read(request));
        assertEquals(FileTest.MismatchException.Setting.NULL_TOYS, e.setting());
        assertTrue(e.getMessage().startsWith("null_toys: the data (60 events) must be smaller"), e.getMessage());
    }

    @Test
    void expo1dStudyInCodeGivesTheCommandsBits() throws IOException {
        Path cliOut = dir.resolve("cli");
        CliRun r = CliRun.of("expo1d", "--kernels", "3", "--reference-size", "600", "--null-toys", "3", "--toys", "2",
                "--signal", "tail", "--epochs", "2", "--steps", "5", "--engine", "scalar", "--threads", "2",
                "--ideal-toys", "20", "--seed", "4", "--no-plots", "--out", cliOut.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode cli = json(cliOut.resolve("result.json"));

        TrainingConfig base = TrainingConfig.preset(Preset.EXPO_1D, 3).toBuilder().epochs(2).coefficientSteps(5)
                .locationSteps(5).learningRate(0.05).seed(4).build();
        Expo1dStudy.Request request = new Expo1dStudy.Request(600, List.of(0.9), List.of(Expo1dSignal.TAIL), 2, 3, 20, 4, base);
        AtomicInteger planned = new AtomicInteger();
        AtomicInteger toys = new AtomicInteger();
        Expo1dStudy.Listener listener = new Expo1dStudy.Listener() {
            @Override
            public void planned(int n) {
                planned.set(n);
            }

            @Override
            public void toyDone(ToyRow row, int done, int total) {
                toys.incrementAndGet();
            }
        };
        Expo1dStudy.Result lib = Expo1dStudy.run(request,
                Expo1dStudy.sparker(base, SCALAR, "asked for by name", new EngineSettings(Precision.DOUBLE, 1), 1),
                new Expo1dStudy.Ensembles(dir.resolve("lib"), 2, null, false), listener);
        assertEquals(5, planned.get());
        assertEquals(5, toys.get());
        assertEquals(Double.doubleToLongBits(cli.at("/null/quantiles/q50").asDouble()),
                Double.doubleToLongBits(lib.nullCalibration().quantiles().q50()), "median null t, same bits");
        assertEquals(cli.at("/null/mean").asDouble(), lib.nullCalibration().mean(), 0.0);
        assertEquals(cli.at("/signals/0/sensitivity/medianT").asDouble(), lib.signals().getFirst().sensitivity().medianT(), 0.0);
        assertEquals(cli.at("/signals/0/idealTest/zId").asDouble(), lib.signals().getFirst().idealTest().zId(), 0.0);
        assertEquals(cli.at("/trainingConfig"), new ObjectMapper().readTree(ResultJson.toJson(lib)).at("/trainingConfig"));

        JsonNode written = new ObjectMapper().readTree(ResultJson.toJson(lib));
        List<String> expected = new ArrayList<>(pointers(cli, ""));
        expected.removeIf(p -> p.equals("/command"));
        assertEquals(expected.stream().sorted().toList(), pointers(written, "").stream().sorted().toList());
    }

    @Test
    void comparisonInCodeGivesTheCommandsTable() throws IOException {
        Path cliOut = dir.resolve("cli");
        CliRun r = CliRun.of("compare", "-M", "3,5", "--models", "sparker,falkon", "--signal", "tail", "--toys", "2",
                "--null-toys", "3", "--reference-size", "600", "--epochs", "2", "--steps", "4", "--engine", "scalar",
                "--threads", "2", "--seed", "6", "--no-plots", "--out", cliOut.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode cli = json(cliOut.resolve("compare.json"));
        java.util.function.IntFunction<TrainingConfig> training = k -> TrainingConfig.preset(Preset.EXPO_1D, k).toBuilder()
                .epochs(2).coefficientSteps(4).locationSteps(4).learningRate(0.05).seed(6).build();
        List<dev.sparker.expo.Expo1dComparison.Entrant> models = List.of(
                new dev.sparker.expo.Expo1dComparison.Entrant("sparker", (k, base) -> Expo1dStudy.sparker(base, SCALAR, null,
                        new EngineSettings(Precision.DOUBLE, 1), 1)),
                new dev.sparker.expo.Expo1dComparison.Entrant("falkon", (k, base) -> FalkonExpo1dModel.factory(k, 1e-6, 1)));
        dev.sparker.expo.Expo1dComparison.Result lib = dev.sparker.expo.Expo1dComparison.run(
                new dev.sparker.expo.Expo1dComparison.Request(600, 0.9, List.of(Expo1dSignal.TAIL), List.of(3, 5),
                        new dev.sparker.expo.Expo1dComparison.Counts(2, 3), java.util.Map.of(), 6, training),
                models, new Expo1dStudy.Ensembles(dir.resolve("lib"), 2, null, false), Expo1dStudy.Listener.NONE);
        assertEquals(8, lib.rows().size(), "2 models x 2 M x (null + tail)");
        for (int i = 0; i < lib.rows().size(); i++) {
            dev.sparker.expo.Expo1dComparison.Row row = lib.rows().get(i);
            assertEquals(cli.at("/rows/" + i + "/model").asText(), row.model());
            assertEquals(cli.at("/rows/" + i + "/file").asText(), row.file(), "same ensemble, same file name");
            assertEquals(Double.doubleToLongBits(cli.at("/rows/" + i + "/medianT").asDouble()),
                    Double.doubleToLongBits(row.medianT()), "row " + i + ": median t, same bits");
        }
        assertEquals(cli.at("/settings/sigmas/M5").asDouble(), lib.sigmas().get("M5"), 0.0);
    }

    @Test
    void falkonStudyInCodeSharesTheToysAndLeavesSparkerKeysOut() throws IOException {
        TrainingConfig base = TrainingConfig.preset(Preset.EXPO_1D, 4).toBuilder().seed(2).build();
        Expo1dStudy.Request request = new Expo1dStudy.Request(500, List.of(0.9), List.of(), 0, 3, 10, 2, base);
        Expo1dStudy.Result lib = Expo1dStudy.run(request, FalkonExpo1dModel.factory(4, 1e-6, 1),
                new Expo1dStudy.Ensembles(dir.resolve("lib"), 2, null, false), Expo1dStudy.Listener.NONE);
        CliRun r = CliRun.of("expo1d", "--model", "falkon", "--kernels", "4", "--reference-size", "500", "--null-toys", "3",
                "--toys", "0", "--threads", "2", "--ideal-toys", "10", "--seed", "2", "--no-plots", "--out",
                dir.resolve("cli").toString());
        assertEquals(0, r.code(), r.err());
        JsonNode cli = json(dir.resolve("cli").resolve("result-falkon.json"));
        assertEquals(cli.at("/null/quantiles/q50").asDouble(), lib.nullCalibration().quantiles().q50(), 0.0);
        JsonNode written = new ObjectMapper().readTree(ResultJson.toJson(lib));
        assertEquals("falkon", written.get("model").asText());
        assertFalse(written.has("engine") || written.has("trainingConfig") || written.at("/settings").has("epochs"));
        assertEquals(1e-6, written.at("/settings/lambda").asDouble(), 0.0);
        assertTrue(written.has("falkonConfig"));
        assertNull(lib.engine());
    }
}
