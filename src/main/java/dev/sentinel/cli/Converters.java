package dev.sentinel.cli;

import dev.sentinel.text.Durations;
import dev.sentinel.settings.KernelLimit;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.platform.cgroup.CgroupMode;
import dev.sentinel.settings.RestartPolicy;
import dev.sentinel.settings.TuiMode;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters whose errors are one sentence naming the value and the accepted forms. */
final class Converters {

    private Converters() {
    }

    static final class Limit implements ITypeConverter<MemoryLimit> {
        @Override
        public MemoryLimit convert(String value) {
            try {
                return MemoryLimit.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Kernel implements ITypeConverter<KernelLimit> {
        @Override
        public KernelLimit convert(String value) {
            try {
                return KernelLimit.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Cgroup implements ITypeConverter<CgroupMode> {
        @Override
        public CgroupMode convert(String value) {
            try {
                return CgroupMode.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Grace implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return duration(value);
        }
    }

    static final class Interval implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d = duration(value);
            if (d.toNanos() < 1_000_000L) {
                throw new TypeConversionException("'" + value + "' is too short; the interval must be at least 1ms.");
            }
            return d;
        }
    }

    static final class Tui implements ITypeConverter<TuiMode> {
        @Override
        public TuiMode convert(String value) {
            try {
                return TuiMode.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a dashboard mode; use auto, always or never.");
            }
        }
    }

    static final class Restart implements ITypeConverter<RestartPolicy> {
        @Override
        public RestartPolicy convert(String value) {
            try {
                return RestartPolicy.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Count implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            String v = value.strip();
            if (v.matches("[0-9]{1,9}")) {
                return Integer.parseInt(v);
            }
            throw new TypeConversionException("'" + value + "' is not a count; use a whole number like 10, or 0 to "
                    + "never give up.");
        }
    }

    private static Duration duration(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
