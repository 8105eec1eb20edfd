package io.podidentity.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The native image's reflection list of fabric8 models ({@link ClusterModels}) is exactly what
 * Jackson reaches from the kinds the client reads: the model types of their fields, recursively,
 * with generic arguments and element types, and the model interfaces they implement. Builders and
 * fluent interfaces are not in it (they are not fields).
 */
class ClusterModelsTest {

    private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model.";
    /** The kinds the client reads by name, and what else it reads: watch events, list options, kubeconfig. */
    private static final List<Class<?>> READ = Stream.<Class<?>>concat(ClusterModels.KINDS.stream(),
            Stream.of(WatchEvent.class, ListOptions.class, Config.class, IntOrString.class)).toList();

    @Test
    void registersTheFieldClosureOfTheModelsTheClientReads() {
        Set<String> registered = Arrays.stream(ClusterModels.class.getAnnotation(RegisterForReflection.class).targets())
                .map(Class::getName)
                .filter(name -> name.startsWith(MODEL_PACKAGE))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(closure(READ), registered);
    }

    @Test
    void registersNoBuilderOrFluentType() {
        for (Class<?> target : ClusterModels.class.getAnnotation(RegisterForReflection.class).targets()) {
            String name = target.getSimpleName();
            assertFalse(name.endsWith("Builder") || name.endsWith("Fluent"), target.getName());
        }
    }

    private static Set<String> closure(List<Class<?>> roots) {
        Deque<Type> todo = new ArrayDeque<>(roots);
        Set<String> seen = new TreeSet<>();
        while (!todo.isEmpty()) {
            Type type = todo.pop();
            if (type instanceof ParameterizedType parameterized) {
                todo.push(parameterized.getRawType());
                todo.addAll(Arrays.asList(parameterized.getActualTypeArguments()));
            } else if (type instanceof WildcardType wildcard) {
                todo.addAll(Arrays.asList(wildcard.getUpperBounds()));
            } else if (type instanceof Class<?> c) {
                Class<?> element = c.isArray() ? c.getComponentType() : c;
                if (!element.getName().startsWith(MODEL_PACKAGE) || !seen.add(element.getName())) {
                    continue;
                }
                todo.addAll(Arrays.asList(element.getInterfaces()));
                for (Class<?> k = element; k != null; k = k.getSuperclass()) {
                    if (k.getSuperclass() != null) {
                        todo.push(k.getSuperclass());
                    }
                    for (Field field : k.getDeclaredFields()) {
                        todo.push(field.getGenericType());
                    }
                }
            }
        }
        return seen;
    }
}
