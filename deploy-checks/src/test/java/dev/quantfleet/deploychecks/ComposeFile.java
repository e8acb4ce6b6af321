package dev.quantfleet.deploychecks;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** docker-compose.yml, parsed with SnakeYAML into maps and lists. */
final class ComposeFile {

    private final Map<String, Object> root;

    private ComposeFile(Map<String, Object> root) {
        this.root = root;
    }

    static ComposeFile read() {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        Map<String, Object> root = yaml.load(ProjectFiles.read("docker-compose.yml"));
        return new ComposeFile(root);
    }

    Map<String, Object> root() {
        return root;
    }

    Map<String, Object> services() {
        return Maps.map(root, "services");
    }

    Map<String, Object> service(String name) {
        Map<String, Object> service = Maps.map(root, "services", name);
        if (service.isEmpty()) {
            throw new AssertionError("docker-compose.yml has no service " + name + "; services: "
                    + services().keySet());
        }
        return service;
    }

    /** Returns the environment of {@code service} as written (a mapping or a list of NAME=value). */
    Map<String, String> environment(String service) {
        Object environment = service(service).get("environment");
        Map<String, String> variables = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> map) {
            map.forEach((name, value) -> variables.put(String.valueOf(name), value == null ? "" : String.valueOf(value)));
        } else if (environment instanceof List<?> list) {
            for (Object entry : list) {
                String[] pair = String.valueOf(entry).split("=", 2);
                variables.put(pair[0], pair.length > 1 ? pair[1] : "");
            }
        }
        return variables;
    }

    /** Returns the variable of {@code service} or empty when unset. */
    Optional<String> variable(String service, String name) {
        return Optional.ofNullable(environment(service).get(name));
    }
}
