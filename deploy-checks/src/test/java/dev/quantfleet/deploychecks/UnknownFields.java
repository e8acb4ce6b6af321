package dev.quantfleet.deploychecks;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds fields that the fabric8 model does not know. The model keeps every unknown field of a
 * typed object in its {@code additionalProperties}, so a misspelled or misplaced field (a
 * {@code livenesProbe}, a {@code resources} on the pod) parses without error; this walk reports
 * them with their path. A {@link GenericKubernetesResource} keeps its whole spec there, so the
 * walk checks only its metadata.
 */
final class UnknownFields {

    private UnknownFields() {
    }

    /** Returns the path of every unknown field below {@code root}, e.g. {@code spec.template.spec.containers[0].livenesProbe}. */
    static List<String> of(Object root) {
        List<String> found = new ArrayList<>();
        walk(root, "", found);
        return found;
    }

    private static void walk(Object value, String path, List<String> found) {
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), path + "[" + i + "]", found);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> walk(item, path + "[" + key + "]", found));
            return;
        }
        if (value == null || !value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        if (!(value instanceof GenericKubernetesResource)) {
            Map<?, ?> additional = additionalProperties(value);
            additional.keySet().forEach(key -> found.add(join(path, String.valueOf(key))));
        }
        for (Method getter : value.getClass().getMethods()) {
            if (isModelGetter(getter)) {
                walk(invoke(getter, value, path), join(path, propertyName(getter)), found);
            }
        }
    }

    private static boolean isModelGetter(Method method) {
        String name = method.getName();
        return name.startsWith("get") && name.length() > 3 && method.getParameterCount() == 0
                && !Modifier.isStatic(method.getModifiers()) && !name.equals("getAdditionalProperties")
                && !name.equals("getClass")
                && (method.getReturnType().getName().startsWith("io.fabric8.kubernetes.api.model")
                || List.class.isAssignableFrom(method.getReturnType())
                || Map.class.isAssignableFrom(method.getReturnType()));
    }

    private static Map<?, ?> additionalProperties(Object value) {
        try {
            Object additional = value.getClass().getMethod("getAdditionalProperties").invoke(value);
            return additional instanceof Map<?, ?> map ? map : Map.of();
        } catch (NoSuchMethodException e) {
            return Map.of();
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("Cannot read the additional properties of " + value.getClass().getName(), e);
        }
    }

    private static Object invoke(Method getter, Object target, String path) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("Cannot read " + join(path, propertyName(getter)) + " of "
                    + target.getClass().getName(), e);
        }
    }

    private static String propertyName(Method getter) {
        String name = getter.getName().substring(3);
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
