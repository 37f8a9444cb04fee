package dev.sentinel.config;

import dev.sentinel.settings.Written;
import java.nio.file.Path;

/** One setting of the file as an option's type reads it: each shape through {@link Values}, problems at its line. */
final class FileValue implements Written {

    private final Values values;
    private final Setting setting;

    FileValue(Values values, Setting setting) {
        this.values = values;
        this.setting = setting;
    }

    @Override
    public String string(String noun, String accepted) {
        return values.string(setting, noun, accepted);
    }

    @Override
    public String nonBlank(String noun, String accepted) {
        return values.nonBlank(setting, noun, accepted);
    }

    @Override
    public String stringOrNumber(String noun, String accepted, boolean fractions) {
        return values.stringOrNumber(setting, noun, accepted, fractions);
    }

    @Override
    public Long whole(String noun, String accepted) {
        return values.whole(setting, noun, accepted);
    }

    @Override
    public Boolean bool(String accepted) {
        return values.bool(setting, accepted);
    }

    @Override
    public Path path(String noun, String accepted) {
        return values.path(setting, noun, accepted);
    }

    @Override
    public Path resolve(String text) {
        return values.resolve(setting, text);
    }

    @Override
    public boolean isArray() {
        return setting.node() instanceof ConfigNode.Array;
    }

    @Override
    public java.util.List<String> stringArray(String noun, String accepted) {
        if (!(setting.node() instanceof ConfigNode.Array a)) {
            values.wrongType(setting, noun, accepted);
            return null;
        }
        java.util.List<String> words = new java.util.ArrayList<>(a.items().size());
        for (int i = 0; i < a.items().size(); i++) {
            ConfigNode item = a.items().get(i);
            if (!(item instanceof ConfigNode.Text t)) {
                values.problem(setting.key(), item, "item " + (i + 1) + " is " + item.describe() + "; use " + accepted
                        + ".");
                return null;
            }
            String word = values.expand(setting.key(), t);
            if (word == null) {
                return null;
            }
            words.add(word);
        }
        return java.util.List.copyOf(words);
    }

    @Override
    public <T> T problem(String message) {
        values.problem(setting, message);
        return null;
    }
}
