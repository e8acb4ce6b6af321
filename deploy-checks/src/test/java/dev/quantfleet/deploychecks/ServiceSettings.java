package dev.quantfleet.deploychecks;

import dev.quantfleet.coordinator.aggregation.AggregatorSettings;
import dev.quantfleet.coordinator.requantize.ModelEventSettings;
import dev.quantfleet.coordinator.service.CoordinatorConfig;
import dev.quantfleet.worker.WorkerConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code quantfleet.*} settings that a service reads, taken by reflection from its
 * {@link ConfigMapping} interfaces the way SmallRye Config names them: the mapping's prefix, then
 * each method name in kebab case ({@code maxBytes} is {@code max-bytes}) unless
 * {@link WithName} renames it, nested interfaces as groups and {@code Map} methods as
 * {@code <name>.<key>}.
 */
final class ServiceSettings {

    private final Map<String, Optional<String>> properties = new TreeMap<>();
    private final Set<String> maps = new TreeSet<>();

    private ServiceSettings() {
    }

    /** Returns the worker's settings: WorkerConfig. */
    static ServiceSettings worker() {
        return new ServiceSettings().add(WorkerConfig.class);
    }

    /** Returns the coordinator's settings: CoordinatorConfig, AggregatorSettings and ModelEventSettings. */
    static ServiceSettings coordinator() {
        return new ServiceSettings().add(CoordinatorConfig.class).add(AggregatorSettings.class)
                .add(ModelEventSettings.class);
    }

    /** Returns whether the service reads {@code name}, a property or a key of a map setting. */
    boolean reads(String name) {
        return properties.containsKey(name) || maps.stream().anyMatch(map -> name.startsWith(map + "."));
    }

    /**
     * Returns the property that the environment variable {@code variable} sets, or empty when the
     * service reads none. A map setting has no variable: its keys keep characters that a variable
     * name loses, so the worker rejects QUANTFLEET_WORKER_PROVIDER_OPTIONS_* variables at start.
     */
    Optional<String> propertyOfVariable(String variable) {
        for (String name : properties.keySet()) {
            if (environmentName(name).equals(variable)) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    /** Returns the {@link WithDefault} value of {@code name}, or empty when it has none. */
    Optional<String> defaultValue(String name) {
        Optional<String> value = properties.get(name);
        if (value == null) {
            throw new IllegalArgumentException("No setting named " + name + "; known settings: " + properties.keySet());
        }
        return value;
    }

    Set<String> propertyNames() {
        return properties.keySet();
    }

    /** Returns the environment variable of a property as SmallRye Config maps it: upper case, '_' for every other character. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private ServiceSettings add(Class<?> mapping) {
        ConfigMapping annotation = mapping.getAnnotation(ConfigMapping.class);
        if (annotation == null) {
            throw new IllegalArgumentException(mapping.getName() + " has no @ConfigMapping");
        }
        collect(mapping, annotation.prefix());
        return this;
    }

    private void collect(Class<?> group, String prefix) {
        for (Method method : group.getMethods()) {
            if (method.isDefault() || Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0) {
                continue;
            }
            String path = prefix + "." + settingName(method);
            Type type = unwrapOptional(method.getGenericReturnType());
            Class<?> raw = rawClass(type);
            if (Map.class.isAssignableFrom(raw)) {
                maps.add(path);
            } else if (raw.isInterface() && raw.getName().startsWith("dev.quantfleet.")) {
                collect(raw, path);
            } else {
                WithDefault value = method.getAnnotation(WithDefault.class);
                properties.put(path, Optional.ofNullable(value).map(WithDefault::value));
            }
        }
    }

    private static String settingName(Method method) {
        WithName name = method.getAnnotation(WithName.class);
        if (name != null) {
            return name.value();
        }
        return method.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static Type unwrapOptional(Type type) {
        if (type instanceof ParameterizedType parameterized && parameterized.getRawType() == Optional.class) {
            return parameterized.getActualTypeArguments()[0];
        }
        return type;
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> raw) {
            return raw;
        }
        if (type instanceof ParameterizedType parameterized) {
            return (Class<?>) parameterized.getRawType();
        }
        throw new IllegalArgumentException("Unsupported setting type " + type);
    }
}
