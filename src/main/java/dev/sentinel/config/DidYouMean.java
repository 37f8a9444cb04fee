package dev.sentinel.config;

import java.util.Collection;
import java.util.Locale;

/** The known key closest to a misspelt one, for "did you mean 'memory_limit'?". */
final class DidYouMean {

    private DidYouMean() {
    }

    /** The closest of {@code known}, or null when none is close enough to be a likely typo. */
    static String closest(String typed, Collection<String> known) {
        String t = typed.toLowerCase(Locale.ROOT).replace('-', '_');
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(t, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        // Two edits at most, and fewer than half of the word, or every short word would "mean" another.
        return bestDistance <= Math.min(2, (t.length() - 1) / 2) ? best : null;
    }

    /** Edit distance counting an insertion, a deletion, a substitution or a swap of neighbours as one. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }
}
