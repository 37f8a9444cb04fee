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
        if (w.matches("[+-]?[0-9]{1,10}")) {
            long v = Long.parseLong(w);
            if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                return (int) v;
            }
        }
        throw new IllegalArgumentException("'" + word + "' is not " + noun + "; use " + accepted + ".");
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
