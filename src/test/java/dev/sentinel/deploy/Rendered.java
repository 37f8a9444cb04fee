package dev.sentinel.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes objects a render gave (kustomize, helm template), as the plain maps and lists
 * SnakeYAML reads, with the few look-ups the checks need.
 *
 * @param source what rendered them, for messages ({@code kubectl kustomize deploy/kubernetes})
 */
record Rendered(String source, List<Map<String, Object>> objects) {

    @SuppressWarnings("unchecked")
    static Rendered parse(String source, String yaml) {
        LoaderOptions options = new LoaderOptions();
        // The dashboard alone is ~30 kB inside a ConfigMap; the default code point limit is 3 MB.
        options.setCodePointLimit(16 * 1024 * 1024);
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object doc : new Yaml(options).loadAll(yaml)) {
            if (doc != null) {
                objects.add((Map<String, Object>) doc);
            }
        }
        return new Rendered(source, List.copyOf(objects));
    }

    List<Map<String, Object>> all(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    /** The one object of {@code kind}; fails when there is none or more than one. */
    Map<String, Object> one(String kind) {
        List<Map<String, Object>> found = all(kind);
        if (found.size() != 1) {
            throw new AssertionError(source + " renders " + found.size() + " " + kind + " objects, not one");
        }
        return found.get(0);
    }

    /** The ConfigMap named {@code name}, or null. */
    Map<String, Object> configMap(String name) {
        for (Map<String, Object> cm : all("ConfigMap")) {
            if (name.equals(map(cm, "metadata").get("name"))) {
                return cm;
            }
        }
        return null;
    }

    /** The pod template's spec of the one Deployment. */
    Map<String, Object> podSpec() {
        return map(map(map(one("Deployment"), "spec"), "template"), "spec");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object v = parent.get(key);
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        Object v = parent.get(key);
        return v instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    @SuppressWarnings("unchecked")
    static List<String> words(Map<String, Object> parent, String key) {
        Object v = parent.get(key);
        return v instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }
}
