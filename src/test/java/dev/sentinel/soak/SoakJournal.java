package dev.sentinel.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A journal read back: its lines, oldest first (the rotated files {@code FILE.3}, {@code .2},
 * {@code .1}, then {@code FILE}), each also as an {@link Entry} of the fields the soak checks.
 * Fields are read with patterns, not a JSON library: bench/soak compiles this with javac alone.
 * A kind's own fields are looked for after the {@code message}, whose text could hold anything.
 */
final class SoakJournal {

    private static final Pattern MESSAGE = Pattern.compile("\"message\":\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern TIME = Pattern.compile("\"time\":\"([^\"]+)\"");
    private static final Pattern NAME = Pattern.compile("\"name\":\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern RUN = Pattern.compile("\"run\":(\\d+|null)");
    private static final Pattern KIND = Pattern.compile("\"kind\":\"([^\"]+)\"");

    /** One event: {@code pid} -1 and the strings null when the line has no such field. */
    record Entry(String line, long timeMillis, String name, long run, String kind, long pid, String reason,
                 String signal, long rssBytes, long limitBytes) {
    }

    final List<String> lines;
    final List<Entry> entries;
    /** The rotated files found beside the journal (3 means older lines may have been dropped). */
    final int rotated;

    private SoakJournal(List<String> lines, int rotated) {
        this.lines = lines;
        this.rotated = rotated;
        List<Entry> es = new ArrayList<>();
        for (String l : lines) {
            es.add(parse(l));
        }
        this.entries = es;
    }

    static SoakJournal read(Path journal) throws IOException {
        List<String> lines = new ArrayList<>();
        int rotated = 0;
        for (int i = 3; i >= 1; i--) {
            Path old = journal.resolveSibling(journal.getFileName() + "." + i);
            if (Files.exists(old)) {
                rotated = Math.max(rotated, i);
                lines.addAll(Files.readAllLines(old, StandardCharsets.UTF_8));
            }
        }
        if (Files.exists(journal)) {
            lines.addAll(Files.readAllLines(journal, StandardCharsets.UTF_8));
        }
        lines.removeIf(String::isBlank);
        return new SoakJournal(List.copyOf(lines), rotated);
    }

    static Entry parse(String line) {
        Matcher msg = MESSAGE.matcher(line);
        int after = msg.find() ? msg.end() : 0;
        String head = line.substring(0, after);
        String tail = line.substring(after);
        String time = first(TIME, head);
        String run = first(RUN, head);
        String pid = first(Pattern.compile("\"pid\":(\\d+)"), tail);
        String rss = first(Pattern.compile("\"rss_bytes\":(\\d+)"), tail);
        String limit = first(Pattern.compile("\"limit_bytes\":(\\d+)"), tail);
        return new Entry(line, time == null ? -1 : OffsetDateTime.parse(time).toInstant().toEpochMilli(), first(NAME, head),
                run == null || run.equals("null") ? -1 : Long.parseLong(run), first(KIND, head),
                pid == null ? -1 : Long.parseLong(pid), first(Pattern.compile("\"reason\":\"([^\"]*)\""), tail),
                first(Pattern.compile("\"signal\":\"([^\"]*)\""), tail), rss == null ? -1 : Long.parseLong(rss),
                limit == null ? -1 : Long.parseLong(limit));
    }

    private static String first(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? m.group(1) : null;
    }
}
