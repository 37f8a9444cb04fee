package dev.sentinel.settings;

import dev.sentinel.text.ByteSize;

/**
 * A size-like value ({@code 512M}, {@code none}, {@code auto}): a word, or in a file a string or
 * a whole number of bytes. The parser's sentence is the same in both. Each instance says how it
 * parses in a subclass rather than with a method reference: see {@link ProgramOptions} on lambdas.
 */
public abstract class SizeType<T> implements ValueType<T> {

    /** What a memory limit accepts, as its sentences say it. */
    public static final String SIZE_ACCEPTED = ByteSize.ACCEPTED + ", or none";

    public static final SizeType<MemoryLimit> MEMORY_LIMIT = new SizeType<>(MemoryLimit.class, "a memory limit",
            ByteSize.ACCEPTED + ", a percentage like \"80%\" of the container's limit, or none") {
        @Override
        public MemoryLimit parse(String word) {
            return MemoryLimit.parse(word);
        }
    };
    public static final SizeType<KernelLimit> KERNEL_LIMIT = new SizeType<>(KernelLimit.class, "a kernel limit",
            "\"auto\", \"off\" or " + SIZE_ACCEPTED) {
        @Override
        public KernelLimit parse(String word) {
            return KernelLimit.parse(word);
        }
    };

    /**
     * The memory limit of the container the programs run in, when Sentinel cannot read it from a
     * cgroup of its own (a sidecar): {@code auto} (-1, read it) or a size. The downward API gives
     * a container's {@code limits.memory} as a whole number of bytes.
     */
    public static final SizeType<Long> CONTAINER_LIMIT = new SizeType<>(Long.class, "a container limit",
            "\"auto\" or " + ByteSize.ACCEPTED) {
        @Override
        public Long parse(String word) {
            if (word != null && word.trim().equalsIgnoreCase("auto")) {
                return AUTO;
            }
            try {
                return ByteSize.parse(word);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + word + "' is not a container limit; use \"auto\" (read it from "
                        + "Sentinel's cgroup) or " + ByteSize.ACCEPTED + ".");
            }
        }

        @Override
        public String check(Long value) {
            return value == 0 ? "0 is not a container limit; give the container's memory limit, or \"auto\"." : null;
        }

        @Override
        public String show(Long value) {
            return value < 0 ? "auto" : ByteSize.format(value);
        }
    };

    /** {@link #CONTAINER_LIMIT}'s {@code auto}: read from the cgroup Sentinel runs in. */
    public static final long AUTO = -1;

    private final Class<T> javaType;
    private final String noun;
    private final String accepted;

    private SizeType(Class<T> javaType, String noun, String accepted) {
        this.javaType = javaType;
        this.noun = noun;
        this.accepted = accepted;
    }

    @Override
    public Class<?> javaType() {
        return javaType;
    }

    @Override
    public T read(Written written) {
        String text = written.stringOrNumber(noun, accepted, false);
        if (text == null) {
            return null;
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            return written.problem(e.getMessage());
        }
    }
}
