package dev.sentinel.settings;

/**
 * A whole number in a range: a word of digits, or in a file a TOML integer. A word that is not a
 * number and a number out of range get the same sentences on the command line and in a file.
 */
public final class WholeType implements ValueType<Integer> {

    private final long min;
    private final long max;
    private final String noun;
    private final String accepted;

    /** @param noun what a wrong value is not ({@code a count}); @param accepted what to write instead */
    public WholeType(long min, long max, String noun, String accepted) {
        this.min = min;
        this.max = max;
        this.noun = noun;
        this.accepted = accepted;
    }

    @Override
    public Class<?> javaType() {
        return Integer.class;
    }

    @Override
    public Integer parse(String word) {
        String w = word.strip();
        if (isWhole(w)) {
            long v = Long.parseLong(w);
            if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                return (int) v;
            }
        }
        throw new IllegalArgumentException("'" + word + "' is not " + noun + "; use " + accepted + ".");
    }

    /** An optional sign and 1 to 10 digits; by hand, since a regex would be compiled at every start. */
    private static boolean isWhole(String w) {
        int from = !w.isEmpty() && (w.charAt(0) == '+' || w.charAt(0) == '-') ? 1 : 0;
        if (w.length() == from || w.length() - from > 10) {
            return false;
        }
        for (int i = from; i < w.length(); i++) {
            if (w.charAt(i) < '0' || w.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    @Override
    public Integer read(Written written) {
        Long v = written.whole(noun, accepted);
        if (v == null) {
            return null;
        }
        String problem = range(v);
        return problem == null ? Integer.valueOf((int) (long) v) : written.problem(problem);
    }

    @Override
    public String check(Integer value) {
        return range(value);
    }

    private String range(long v) {
        if (v >= min && v <= max) {
            return null;
        }
        return v + " is " + (v < min ? (min == 0 ? "negative" : "below " + min) : "above " + max) + "; use "
                + accepted + ".";
    }
}
