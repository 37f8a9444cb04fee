package dev.sentinel.settings;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Coverage-guided fuzzing of every option's value type (Jazzer): sizes, percentages, durations,
 * signals, ports, addresses, modes, words. Any word parses to a value that checks or gives one
 * sentence, or is refused with an IllegalArgumentException of one line — never another exception.
 */
class OptionValuesFuzzTest {

    private static final List<Option<?>> TYPED = OptionTable.ALL.stream().filter(o -> o.type() != null).toList();

    @FuzzTest(maxDuration = "2m")
    void anyWordIsAValueOrOneSentence(FuzzedDataProvider data) {
        Option<?> option = TYPED.get(data.consumeInt(0, TYPED.size() - 1));
        String word = data.consumeRemainingAsString();
        parseAndCheck(option, word);
    }

    private static <T> void parseAndCheck(Option<T> option, String word) {
        T value;
        try {
            value = option.type().parse(word);
        } catch (IllegalArgumentException e) {
            oneLine(option, word, e.getMessage());
            return;
        }
        String problem = value == null ? null : option.type().check(value);
        if (problem != null) {
            oneLine(option, word, problem);
        } else if (value != null) {
            option.type().show(value);
        }
    }

    private static void oneLine(Option<?> option, String word, String sentence) {
        if (sentence == null || sentence.isBlank()) {
            throw new AssertionError(option.longName() + ": no sentence for '" + word + "'");
        }
    }
}
