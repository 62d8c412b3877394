package io.maas.api.accelerator;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The public surface of the SPI as sorted text lines: every public type reachable from the roots
 * within the SPI package, with its kind, constructors, methods (with static/default/abstract) and
 * enum constants.
 */
final class SpiSignatures {

    private static final String PACKAGE = AcceleratorProvider.class.getPackageName();

    private SpiSignatures() {
    }

    static Set<String> of(Class<?>... roots) {
        Set<String> lines = new TreeSet<>();
        Set<Class<?>> seen = new LinkedHashSet<>();
        Deque<Class<?>> queue = new ArrayDeque<>(Arrays.asList(roots));
        while (!queue.isEmpty()) {
            Class<?> type = queue.poll();
            if (!seen.add(type)) {
                continue;
            }
            lines.add(type.getName() + " " + kind(type));
            if (type.getSuperclass() != null && inSpi(type.getSuperclass())) {
                queue.add(type.getSuperclass());
            }
            for (Constructor<?> constructor : type.getConstructors()) {
                lines.add(type.getName() + " new(" + parameters(constructor) + ")" + exceptions(constructor));
                Arrays.stream(constructor.getGenericParameterTypes()).forEach(t -> enqueue(t, queue));
            }
            for (Method method : type.getDeclaredMethods()) {
                if (!Modifier.isPublic(method.getModifiers()) || method.isSynthetic() || method.isBridge()) {
                    continue;
                }
                lines.add(type.getName() + " " + modifiers(method) + method.getGenericReturnType().getTypeName() + " "
                        + method.getName() + "(" + parameters(method) + ")" + exceptions(method));
                enqueue(method.getGenericReturnType(), queue);
                Arrays.stream(method.getGenericParameterTypes()).forEach(t -> enqueue(t, queue));
            }
            if (type.isEnum()) {
                Arrays.stream(type.getEnumConstants()).forEach(c -> lines.add(type.getName() + " constant " + ((Enum<?>) c).name()));
            }
        }
        return lines;
    }

    private static void enqueue(Type type, Deque<Class<?>> queue) {
        if (type instanceof Class<?> c && inSpi(c)) {
            queue.add(c);
        } else if (type instanceof ParameterizedType p) {
            enqueue(p.getRawType(), queue);
            Arrays.stream(p.getActualTypeArguments()).forEach(t -> enqueue(t, queue));
        }
    }

    private static boolean inSpi(Class<?> type) {
        return !type.isArray() && type.getPackageName().equals(PACKAGE) && Modifier.isPublic(type.getModifiers());
    }

    private static String kind(Class<?> type) {
        if (type.isInterface()) {
            return "interface";
        }
        if (type.isRecord()) {
            return "record";
        }
        if (type.isEnum()) {
            return "enum";
        }
        String kind = Modifier.isFinal(type.getModifiers()) ? "final class" : "class";
        return type.getSuperclass() == Object.class ? kind : kind + " extends " + type.getSuperclass().getName();
    }

    private static String modifiers(Method method) {
        if (Modifier.isStatic(method.getModifiers())) {
            return "static ";
        }
        if (method.isDefault()) {
            return "default ";
        }
        return Modifier.isAbstract(method.getModifiers()) ? "abstract " : "";
    }

    private static String parameters(Executable executable) {
        return Arrays.stream(executable.getGenericParameterTypes()).map(Type::getTypeName).collect(Collectors.joining(", "));
    }

    private static String exceptions(Executable executable) {
        Class<?>[] exceptions = executable.getExceptionTypes();
        return exceptions.length == 0 ? ""
                : " throws " + Arrays.stream(exceptions).map(Class::getName).collect(Collectors.joining(", "));
    }
}
