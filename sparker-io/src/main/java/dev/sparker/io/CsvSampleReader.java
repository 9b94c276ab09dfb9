package dev.sparker.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads a numeric CSV table. Cells are separated by one delimiter (detected from the first line: comma,
 * else tab, else semicolon, unless given), may be wrapped in double quotes, and hold decimal numbers;
 * {@code nan}, {@code inf}, {@code -inf} (any case) are read as non-finite values, which are then errors
 * unless the options ask to drop such rows. Blank lines and lines starting with {@code #} are skipped.
 * Quoted cells containing the delimiter are not supported (this is a reader for numeric tables).
 */
public final class CsvSampleReader {

    private CsvSampleReader() {
    }

    /**
     * {@return a sample read from a CSV file (delimiter and header detected unless given)}
     *
     * @param file    the CSV file
     * @param options columns, weights, header and delimiter options
     * @throws SampleFileException naming the file, line, column and problem
     */
    public static SampleTable read(Path file, ReadOptions options) {
        RawTable raw = readRaw(file, options);
        double[] external = options.weightFile() == null ? null : NpyReader.readVector(options.weightFile());
        if (options.weightDataset() != null) {
            throw new SampleFileException(file, "a weight dataset is an HDF5 option; for CSV give a weight column or a weight .npy file");
        }
        return raw.select(options, external, external == null ? null : "weight file " + options.weightFile());
    }

    static RawTable readRaw(Path file, ReadOptions options) {
        List<String> names = null;
        int columns = -1;
        int headerLine = -1;
        double[] values = new double[1024];
        int count = 0;
        int[] lines = new int[128];
        int rows = 0;
        char delimiter = options.delimiter();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                    line = line.substring(1);
                }
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                if (delimiter == 0) {
                    delimiter = detectDelimiter(trimmed);
                }
                String[] cells = split(trimmed, delimiter);
                if (columns < 0) {
                    columns = cells.length;
                    boolean isHeader = switch (options.header()) {
                        case PRESENT -> true;
                        case ABSENT -> false;
                        case AUTO -> Arrays.stream(cells).anyMatch(c -> !isNumber(c));
                    };
                    if (isHeader) {
                        names = new ArrayList<>(columns);
                        for (int j = 0; j < columns; j++) {
                            String n = cells[j].isEmpty() ? "x" + j : cells[j];
                            if (names.contains(n)) {
                                throw new SampleFileException(file, "line " + lineNo + ": header names column '" + n
                                        + "' twice (columns " + names.indexOf(n) + " and " + j + ")");
                            }
                            names.add(n);
                        }
                        headerLine = lineNo;
                        continue;
                    }
                    names = RawTable.defaultNames(columns);
                }
                if (cells.length != columns) {
                    String first = headerLine > 0 ? "the header (line " + headerLine + ")" : "the first row (line " + lines[0] + ")";
                    throw new SampleFileException(file, "ragged rows: line " + lineNo + " has " + cells.length
                            + " cell" + (cells.length == 1 ? "" : "s") + " but " + first + " has " + columns);
                }
                if (count + columns > values.length) {
                    values = Arrays.copyOf(values, Math.max(values.length * 2, count + columns));
                }
                for (int j = 0; j < columns; j++) {
                    values[count++] = parseCell(file, cells[j], lineNo, j, names.get(j), options.header());
                }
                if (rows == lines.length) {
                    lines = Arrays.copyOf(lines, rows * 2);
                }
                lines[rows++] = lineNo;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (columns < 0) {
            throw new SampleFileException(file, "empty file: no header and no data rows");
        }
        if (rows == 0) {
            throw new SampleFileException(file, "empty file: a header (line " + headerLine + ") but no data rows");
        }
        return new RawTable(file, Arrays.copyOf(values, count), rows, columns, names, Arrays.copyOf(lines, rows));
    }

    private static char detectDelimiter(String line) {
        if (line.indexOf(',') >= 0) {
            return ',';
        }
        if (line.indexOf('\t') >= 0) {
            return '\t';
        }
        if (line.indexOf(';') >= 0) {
            return ';';
        }
        return ',';
    }

    private static String[] split(String line, char delimiter) {
        String[] cells = line.split(java.util.regex.Pattern.quote(String.valueOf(delimiter)), -1);
        for (int j = 0; j < cells.length; j++) {
            String c = cells[j].strip();
            if (c.length() >= 2 && c.charAt(0) == '"' && c.charAt(c.length() - 1) == '"') {
                c = c.substring(1, c.length() - 1).strip();
            }
            cells[j] = c;
        }
        return cells;
    }

    private static boolean isNumber(String cell) {
        try {
            parseNumber(cell);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Decimal numbers plus the spellings of NaN and infinity that NumPy, pandas and R write. */
    static double parseNumber(String cell) {
        String lower = cell.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "nan", "+nan", "-nan" -> {
                return Double.NaN;
            }
            case "inf", "+inf", "infinity", "+infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
                // Java also accepts hex floats and a trailing d/f; reject the suffixes, which no CSV writer emits.
                if (lower.isEmpty() || lower.endsWith("d") || lower.endsWith("f")) {
                    throw new NumberFormatException(cell);
                }
                return Double.parseDouble(cell);
            }
        }
    }

    private static double parseCell(Path file, String cell, int lineNo, int column, String name, HeaderMode header) {
        if (cell.isEmpty()) {
            throw new SampleFileException(file, "line " + lineNo + ", column " + column + " ('" + name + "'): empty cell");
        }
        try {
            return parseNumber(cell);
        } catch (NumberFormatException e) {
            String hint = header == HeaderMode.ABSENT ? " (if this line is a header, read with the header on)" : "";
            throw new SampleFileException(file, "line " + lineNo + ", column " + column + " ('" + name
                    + "'): non-numeric cell '" + cell + "'" + hint);
        }
    }
}
