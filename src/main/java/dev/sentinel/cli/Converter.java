package dev.sentinel.cli;

import dev.sentinel.settings.ValueType;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A picocli converter that parses with an option's {@link ValueType}, so a word means on the
 * command line what it means in a file; the type's sentence becomes picocli's
 * {@code Invalid value for option '--grace': '3 seconds' is not a duration; use ...}.
 */
final class Converter<T> implements ITypeConverter<T> {

    private final ValueType<T> type;

    Converter(ValueType<T> type) {
        this.type = type;
    }

    @Override
    public T convert(String value) {
        try {
            return type.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
