package dev.sentinel.core;

/**
 * Which programs an order or a question is about, as the user said it: no name ({@link Unnamed}),
 * the word {@code all} ({@link All}), or one program's name ({@link Named}). What an unnamed order
 * means depends on the order and on what Sentinel runs (see {@link RunMode#aim}), so the parsers
 * keep the difference instead of deciding it.
 */
public sealed interface Target {

    Unnamed UNNAMED = new Unnamed();
    All ALL = new All();

    /** The words a user types for this target, with a trailing blank; empty when unnamed. */
    String words();

    /** No name given: every program for a question; the one program, or an error, for an order. */
    record Unnamed() implements Target {
        @Override
        public String words() {
            return "";
        }
    }

    /** {@code all}: every program, one reply line each for an order. */
    record All() implements Target {
        /** The keyword; like every keyword it is case-insensitive, and it wins over a program of that name. */
        public static final String WORD = "all";

        @Override
        public String words() {
            return WORD + " ";
        }
    }

    /** One program, by its exact (case-sensitive) name. */
    record Named(String name) implements Target {
        @Override
        public String words() {
            return name + " ";
        }
    }
}
