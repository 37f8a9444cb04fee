package dev.sentinel.core;

import dev.sentinel.core.program.OrderResult;
import java.util.List;

/** What came of an order: one answer per program it reached, or why it reached none. */
public sealed interface OrderReply {

    /** One program's answer. */
    record Answer(String program, OrderResult result) {
    }

    /** The order acted on these programs, in the order Sentinel lists them. */
    record PerProgram(List<Answer> answers) implements OrderReply {
        public PerProgram {
            answers = List.copyOf(answers);
        }
    }

    /** An order for everything at once ({@code stop} without a name): one answer for all. */
    record Whole(OrderResult result) implements OrderReply {
    }

    /** The name is no program's (any more: a reload may have removed it since the line was parsed). */
    record NoSuchProgram(String name) implements OrderReply {
    }

    /** The order needs a program's name (or {@code all}) here. */
    record NameNeeded() implements OrderReply {
    }
}
