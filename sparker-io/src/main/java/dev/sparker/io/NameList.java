package dev.sparker.io;

import java.util.List;

/**
 * Lists of names (columns, features, datasets) as messages show them: whole when short, else the first few and
 * how many more, so that a transposed file with 20 000 "columns" still gives a one-line error.
 */
public final class NameList {
    /** Names shown before the list is cut. */
    public static final int SHOWN = 8;

    private NameList() {
    }

    /**
     * {@return {@code [a, b, c]}, or the first {@link #SHOWN} and how many more: {@code [x0, ..., x7, ... and 19992 more]}}
     *
     * @param names the names, in order
     */
    public static String of(List<String> names) {
        if (names.size() <= SHOWN) {
            return names.toString();
        }
        return "[" + String.join(", ", names.subList(0, SHOWN)) + ", ... and " + (names.size() - SHOWN) + " more]";
    }
}
