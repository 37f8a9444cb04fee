package dev.sentinel.settings;

import dev.sentinel.text.ByteSize;
import java.util.function.Function;

/**
 * A size-like value ({@code 512M}, {@code none}, {@code auto}): a word, or in a file a string or
 * a whole number of bytes. The parser's sentence is the same in both.
 */
public final class SizeType<T> implements ValueType<T> {

    /** What a memory limit accepts, as its sentences say it. */
    public static final String SIZE_ACCEPTED = ByteSize.ACCEPTED + ", or none";

    public static final SizeType<MemoryLimit> MEMORY_LIMIT = new SizeType<>(MemoryLimit.class, MemoryLimit::parse,
            "a memory limit", SIZE_ACCEPTED);
    public static final SizeType<KernelLimit> KERNEL_LIMIT = new SizeType<>(KernelLimit.class, KernelLimit::parse,
            "a kernel limit", "\"auto\", \"off\" or " + SIZE_ACCEPTED);

    private final Class<T> javaType;
    private final Function<String, T> parser;
    private final String noun;
    private final String accepted;

    private SizeType(Class<T> javaType, Function<String, T> parser, String noun, String accepted) {
        this.javaType = javaType;
        this.parser = parser;
        this.noun = noun;
        this.accepted = accepted;
    }

    @Override
    public Class<?> javaType() {
        return javaType;
    }

    @Override
    public T parse(String word) {
        return parser.apply(word);
    }

    @Override
    public T read(Written written) {
        String text = written.stringOrNumber(noun, accepted, false);
        if (text == null) {
            return null;
        }
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            return written.problem(e.getMessage());
        }
    }
}
