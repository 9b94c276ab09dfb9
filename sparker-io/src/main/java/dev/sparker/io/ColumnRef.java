package dev.sparker.io;

/**
 * A column of an input table, named either by its header name or by its 0-based index.
 *
 * <p>Files without names (NumPy, HDF5, CSV without header) have default names {@code x0, x1, ...}, so a
 * name like {@code x3} also works there.
 *
 * @param name  the column name, or null when selected by index
 * @param index the 0-based column index, or -1 when selected by name
 */
public record ColumnRef(String name, int index) {

    /**
     * Validates the reference.
     *
     * @throws IllegalArgumentException when both or neither of name and index are given, or the name is blank
     */
    public ColumnRef {
        if ((name == null) == (index < 0)) {
            throw new IllegalArgumentException("a column is named either by a name or by a non-negative index, not both"
                    + " and not neither (name = " + name + ", index = " + index + ")");
        }
        if (name != null && name.isBlank()) {
            throw new IllegalArgumentException("column name must not be blank");
        }
    }

    /**
     * {@return the column with header name {@code name}}
     *
     * @param name the name (files without names have {@code x0, x1, ...})
     */
    public static ColumnRef byName(String name) {
        return new ColumnRef(name, -1);
    }

    /**
     * {@return the column at 0-based {@code index}}
     *
     * @param index the index, &gt;= 0
     */
    public static ColumnRef byIndex(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("column index " + index + " is negative; indices start at 0");
        }
        return new ColumnRef(null, index);
    }

    /**
     * {@return a column from text: a plain non-negative integer is an index; anything else is a name}
     *
     * @param text the column as written on a command line
     */
    public static ColumnRef parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty column reference");
        }
        String s = text.strip();
        if (s.chars().allMatch(Character::isDigit)) {
            return byIndex(Integer.parseInt(s));
        }
        return byName(s);
    }

    /**
     * {@return whether the column is selected by index}
     */
    public boolean isIndex() {
        return name == null;
    }

    @Override
    public String toString() {
        return isIndex() ? "#" + index : "'" + name + "'";
    }
}
