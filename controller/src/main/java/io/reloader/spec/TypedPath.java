package io.reloader.spec;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A JSON pointer followed through a typed model by its bean getters ({@code /spec/jobTemplate} is
 * {@code getSpec().getJobTemplate()}), as fabric8's models name their properties. The getters found are kept per
 * class and property.
 */
final class TypedPath {
    /** What {@link #walk} answers where the path leaves the typed model: the caller converts instead. */
    static final PodTemplateSpec UNTYPED = new PodTemplateSpec();

    private static final Method NONE;
    private static final Map<String, String[]> SEGMENTS = new ConcurrentHashMap<>();
    private static final ClassValue<Map<String, Method>> GETTERS = new ClassValue<>() {
        @Override
        protected Map<String, Method> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    static {
        try {
            NONE = Object.class.getMethod("hashCode");
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private TypedPath() {
    }

    /** The pod template at {@code pointer} in {@code root}: null where the path ends early, or {@link #UNTYPED}. */
    static PodTemplateSpec walk(Object root, String pointer) {
        Object at = root;
        for (String segment : SEGMENTS.computeIfAbsent(pointer, TypedPath::segments)) {
            if (at == null) {
                return null;
            }
            Class<?> type = at.getClass();
            Method getter = GETTERS.get(type).computeIfAbsent(segment, name -> getter(type, name));
            if (getter == NONE) {
                return UNTYPED;
            }
            try {
                at = getter.invoke(at);
            } catch (IllegalAccessException | InvocationTargetException e) {
                return UNTYPED;
            }
        }
        return at == null ? null : at instanceof PodTemplateSpec template ? template : UNTYPED;
    }

    /** A pointer's segments; an escaped one ({@code ~0}, {@code ~1}) is no getter's name and stays untyped. */
    private static String[] segments(String pointer) {
        return pointer.isEmpty() ? new String[0] : pointer.substring(1).split("/", -1);
    }

    private static Method getter(Class<?> type, String property) {
        if (property.isEmpty() || property.contains("~") || !Modifier.isPublic(type.getModifiers())) {
            return NONE;
        }
        try {
            Method m = type.getMethod("get" + Character.toUpperCase(property.charAt(0)) + property.substring(1));
            return m.getParameterCount() == 0 && m.getReturnType() != void.class
                    && m.getDeclaringClass().getName().startsWith("io.fabric8.kubernetes.api.model") ? m : NONE;
        } catch (NoSuchMethodException e) {
            return NONE;
        }
    }
}
