package io.deskfleet.controlplane.schedule;

import io.deskfleet.controlplane.refusal.Refusal;
import jakarta.inject.Singleton;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every {@link TaskType} bean, by name: the one place a request's or a stored row's {@code task_type} becomes its
 * type. Types are listed in the contract's order (the order refusals name them in); a type the contract does not
 * name comes after those, by name.
 */
@Singleton
public class TaskTypes {
    /** The contract's task_type values, in its order. One without a bean is refused as not supported. */
    static final List<String> CONTRACT = List.of("START", "STOP", "REBOOT", "HIBERNATE", "REBUILD",
            "EXECUTE_SCRIPT", "CREATE_SNAPSHOT");

    /** Width of the task_type columns of scheduled_tasks and scheduled_task_records (V20__scheduled_tasks.sql). */
    static final int MAX_NAME = 32;

    private final Map<String, TaskType> byName = new LinkedHashMap<>();

    /** Refuses to start with two types of one name, or a name the columns cannot hold. */
    public TaskTypes(List<TaskType> types) {
        types.stream().sorted(Comparator.comparingInt(TaskTypes::contractPosition).thenComparing(TaskType::name))
                .forEach(type -> {
                    if (type.name().isEmpty() || type.name().length() > MAX_NAME) {
                        throw new IllegalStateException("task type name must be 1-" + MAX_NAME + " characters: "
                                + type.name());
                    }
                    if (byName.putIfAbsent(type.name(), type) != null) {
                        throw new IllegalStateException("two task types are named " + type.name());
                    }
                });
    }

    /** The type a request names; case-sensitive, like scheduled_type. */
    public TaskType parse(String value) {
        if (value == null || value.isBlank()) {
            throw Refusal.invalid("task_type: is required").asException();
        }
        TaskType type = byName.get(value);
        if (type != null) {
            return type;
        }
        List<String> names = List.copyOf(byName.keySet());
        if (CONTRACT.contains(value)) {
            throw Refusal.invalid("task_type: " + value + " is not supported; use " + orList(names)).asException();
        }
        throw Refusal.invalid("task_type: must be one of " + String.join(", ", names) + ", got '" + value + "'")
                .asException();
    }

    /** The type of a stored task; it was valid when stored, so a missing one means its bean was removed. */
    public TaskType stored(String name) {
        TaskType type = byName.get(name);
        if (type == null) {
            throw new IllegalStateException("stored task_type " + name + " has no TaskType bean");
        }
        return type;
    }

    /** The names in listing order. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    private static int contractPosition(TaskType type) {
        int position = CONTRACT.indexOf(type.name());
        return position < 0 ? CONTRACT.size() : position;
    }

    /** "A, B or C". */
    private static String orList(List<String> names) {
        if (names.size() < 2) {
            return String.join("", names);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }
}
