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
import java.util.regex.Pattern;

/**
 * Reads a numeric CSV table. Cells are separated by one delimiter (detected from the first line: comma,
 * else tab, else semicolon, unless given), may be wrapped in double quotes, and hold decimal numbers;
 * {@code nan}, {@code inf}, {@code -inf} (any case) are read as non-finite values, which are then errors
 * unless the options ask to drop such rows. Blank lines and lines starting with {@code #} are skipped.
 * Quoted cells containing the delimiter are not supported (this is a reader for numeric tables).
 *
 * <p>Numbers are never split silently: a comma-separated row whose cells pair up as an integer part and fraction
 * digits with a leading zero ({@code 0,0304717}) is refused with a hint, and so is a cell holding a decimal comma
 * in a {@code ;}- or tab-separated file, unless the options say the file uses decimal commas. An empty last cell on
 * every data line (a delimiter at the end of each line, as some exporters write) is no column; the table then
 * carries a note saying so. Rows with other cell counts are refused with their line.
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
        boolean decimalComma = options.decimalComma();
        List<String> names = null;
        List<String> notes = new ArrayList<>();
        int columns = -1;
        int headerLine = -1;
        // decided at the first data row: whether every data line ends with a delimiter (an empty last cell that is
        // no column); the header may or may not end with one too
        Boolean trailing = null;
        int firstRowLine = -1;
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
                    delimiter = decimalComma ? detectDelimiterBesideDecimalComma(trimmed) : detectDelimiter(trimmed);
                }
                String[] cells = split(trimmed, delimiter);
                if (columns < 0 && headerLine < 0) {
                    boolean isHeader = switch (options.header()) {
                        case PRESENT -> true;
                        case ABSENT -> false;
                        case AUTO -> Arrays.stream(cells).anyMatch(c -> !c.isEmpty() && !isNumber(c, decimalComma));
                    };
                    if (isHeader) {
                        int n = cells.length;
                        if (n > 1 && cells[n - 1].isEmpty()) {
                            n--;
                            notes.add("the header (line " + lineNo + ") ends with a delimiter: read as no column");
                        }
                        names = new ArrayList<>(n);
                        for (int j = 0; j < n; j++) {
                            String name = cells[j].isEmpty() ? "x" + j : cells[j];
                            if (names.contains(name)) {
                                throw new SampleFileException(file, "line " + lineNo + ": header names column '" + name
                                        + "' twice (columns " + names.indexOf(name) + " and " + j + ")");
                            }
                            names.add(name);
                        }
                        columns = n;
                        headerLine = lineNo;
                        continue;
                    }
                }
                if (trailing == null) {
                    firstRowLine = lineNo;
                    if (columns < 0) {
                        trailing = cells.length > 1 && cells[cells.length - 1].isEmpty();
                        columns = trailing ? cells.length - 1 : cells.length;
                        names = RawTable.defaultNames(columns);
                    } else {
                        trailing = cells.length == columns + 1 && cells[columns].isEmpty();
                    }
                    if (trailing) {
                        notes.add("every data line ends with a delimiter (line " + lineNo + ": '" + trimmed
                                + "'): the empty last cell is read as no column");
                    }
                }
                if (cells.length != (trailing ? columns + 1 : columns) || (trailing && !cells[columns].isEmpty())) {
                    throw ragged(file, lineNo, cells, columns, headerLine, firstRowLine, trailing, delimiter, decimalComma);
                }
                if (!decimalComma && delimiter == ',') {
                    checkNoSplitNumber(file, lineNo, cells, columns);
                }
                if (count + columns > values.length) {
                    values = Arrays.copyOf(values, Math.max(values.length * 2, count + columns));
                }
                for (int j = 0; j < columns; j++) {
                    values[count++] = parseCell(file, cells[j], lineNo, j, names.get(j), options.header(), decimalComma);
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
        return new RawTable(file, Arrays.copyOf(values, count), rows, columns, names, Arrays.copyOf(lines, rows), notes);
    }

    /** An integer part, as a spreadsheet writes it before a decimal comma. */
    private static final Pattern INTEGER_PART = Pattern.compile("[+-]?[0-9]+");
    /** Fraction digits that start with a zero (and an optional exponent): no writer of integers emits these. */
    private static final Pattern ZERO_LED_FRACTION = Pattern.compile("0[0-9]+([eE][+-]?[0-9]+)?");
    /** A whole number written with a decimal comma. */
    private static final Pattern DECIMAL_COMMA_NUMBER = Pattern.compile("[+-]?[0-9]+,[0-9]+([eE][+-]?[0-9]+)?");

    /**
     * A comma-separated row whose cells pair up as (integer part, fraction digits with a leading zero), such as
     * {@code 0,0304717}, is a number written with a decimal comma that the comma delimiter split in two; reading
     * it as two features would be a silent wrong number, so it is refused.
     */
    private static void checkNoSplitNumber(Path file, int lineNo, String[] cells, int columns) {
        for (int j = 0; j + 1 < columns; j++) {
            if (INTEGER_PART.matcher(cells[j]).matches() && ZERO_LED_FRACTION.matcher(cells[j + 1]).matches()) {
                throw new SampleFileException(file, "line " + lineNo + ", columns " + j + " and " + (j + 1) + ": '"
                        + cells[j] + "' and '" + cells[j + 1] + "' look like one number written with a decimal comma ("
                        + cells[j] + "," + cells[j + 1] + ") and split at the comma; numbers are never split silently:"
                        + " read the file with decimal commas (--decimal-comma), or write it with decimal points");
            }
        }
    }

    private static SampleFileException ragged(Path file, int lineNo, String[] cells, int columns, int headerLine,
                                              int firstRowLine, boolean trailing, char delimiter, boolean decimalComma) {
        String first = headerLine > 0 ? "the header (line " + headerLine + ")" : "the first row (line " + firstRowLine + ")";
        String msg;
        if (trailing) {
            msg = "ragged rows: line " + lineNo + (cells.length == columns ? " does not end with a delimiter" : " has "
                    + cells.length + " cells") + " but the data lines before it hold " + columns
                    + " cells and end with a delimiter (from line " + firstRowLine + ")";
        } else {
            msg = "ragged rows: line " + lineNo + " has " + cells.length + " cell" + (cells.length == 1 ? "" : "s")
                    + " but " + first + " has " + columns;
        }
        if (!decimalComma && delimiter == ',' && cells.length > columns && looksCommaSplit(cells)) {
            msg += "; its cells pair up as numbers written with a decimal comma ('" + cells[0] + "," + cells[1]
                    + "'): read the file with decimal commas (--decimal-comma)";
        }
        return new SampleFileException(file, msg);
    }

    private static boolean looksCommaSplit(String[] cells) {
        if (cells.length % 2 != 0) {
            return false;
        }
        for (int j = 0; j < cells.length; j += 2) {
            if (!INTEGER_PART.matcher(cells[j]).matches() || !cells[j + 1].matches("[0-9]+([eE][+-]?[0-9]+)?")) {
                return false;
            }
        }
        return true;
    }

    /** With decimal commas, cells are separated by ';' or a tab; a line with neither is one cell. */
    private static char detectDelimiterBesideDecimalComma(String line) {
        if (line.indexOf(';') >= 0) {
            return ';';
        }
        if (line.indexOf('\t') >= 0) {
            return '\t';
        }
        return NO_DELIMITER;
    }

    /** Stands for "one cell per line": a character no text line holds. */
    private static final char NO_DELIMITER = '\n';

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
        if (delimiter == NO_DELIMITER) {
            return new String[] {unquote(line.strip())};
        }
        String[] cells = line.split(java.util.regex.Pattern.quote(String.valueOf(delimiter)), -1);
        for (int j = 0; j < cells.length; j++) {
            cells[j] = unquote(cells[j].strip());
        }
        return cells;
    }

    private static String unquote(String c) {
        if (c.length() >= 2 && c.charAt(0) == '"' && c.charAt(c.length() - 1) == '"') {
            return c.substring(1, c.length() - 1).strip();
        }
        return c;
    }

    private static boolean isNumber(String cell, boolean decimalComma) {
        try {
            parseNumber(decimalComma ? fromDecimalComma(cell) : cell);
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

    /** A decimal-comma number in the form {@link #parseNumber} reads; a decimal point in it is refused. */
    private static String fromDecimalComma(String cell) {
        if (cell.indexOf('.') >= 0) {
            throw new NumberFormatException(cell);
        }
        return cell.replace(',', '.');
    }

    private static double parseCell(Path file, String cell, int lineNo, int column, String name, HeaderMode header,
                                    boolean decimalComma) {
        if (cell.isEmpty()) {
            throw new SampleFileException(file, "line " + lineNo + ", column " + column + " ('" + name + "'): empty cell");
        }
        try {
            return parseNumber(decimalComma ? fromDecimalComma(cell) : cell);
        } catch (NumberFormatException e) {
            String hint = header == HeaderMode.ABSENT ? " (if this line is a header, read with the header on)" : "";
            if (decimalComma && cell.indexOf('.') >= 0) {
                hint = " (the file is read with decimal commas, and a point in a number would be a thousands separator,"
                        + " which is not read; write the numbers without it)";
            } else if (!decimalComma && DECIMAL_COMMA_NUMBER.matcher(cell).matches()) {
                hint = " (a number written with a decimal comma: read the file with decimal commas, --decimal-comma)";
            }
            throw new SampleFileException(file, "line " + lineNo + ", column " + column + " ('" + name
                    + "'): non-numeric cell '" + cell + "'" + hint);
        }
    }
}
