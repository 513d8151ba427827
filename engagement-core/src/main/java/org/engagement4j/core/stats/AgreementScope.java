package org.engagement4j.core.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;

/**
 * Which samples an agreement matrix pools: one task or all tasks, one engagement variable or both.
 * The paper's Figure 1 is {@link #all()}: all tasks, both variables.
 *
 * @param task the task, or empty for all tasks
 * @param variable the variable, or empty for both
 * @since 0.1.0
 */
public record AgreementScope(Optional<Task> task, Optional<Variable> variable) {

    /**
     * Validates and copies the components.
     *
     * @param task the task, or empty for all tasks
     * @param variable the variable, or empty for both
     * @throws NullPointerException if a component is null
     */
    public AgreementScope {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(variable, "variable");
    }

    /** @return all tasks, both variables (the paper's Figure 1) */
    public static AgreementScope all() {
        return new AgreementScope(Optional.empty(), Optional.empty());
    }

    /**
     * @param task a task, or null for all tasks
     * @param variable a variable, or null for both
     * @return the scope
     */
    public static AgreementScope of(Task task, Variable variable) {
        return new AgreementScope(Optional.ofNullable(task), Optional.ofNullable(variable));
    }

    /**
     * @return the twelve scopes in report order: all tasks then each task, each with both
     *     variables then each variable
     */
    public static List<AgreementScope> standard() {
        List<AgreementScope> list = new ArrayList<>(12);
        List<Task> tasks = new ArrayList<>();
        tasks.add(null);
        tasks.addAll(List.of(Task.values()));
        List<Variable> variables = new ArrayList<>();
        variables.add(null);
        variables.addAll(List.of(Variable.values()));
        for (Task t : tasks) {
            for (Variable v : variables) {
                list.add(of(t, v));
            }
        }
        return List.copyOf(list);
    }

    /**
     * @param t a task
     * @param v a variable
     * @return whether samples of {@code (t, v)} belong to this scope
     */
    public boolean includes(Task t, Variable v) {
        return (task.isEmpty() || task.get() == t) && (variable.isEmpty() || variable.get() == v);
    }

    /** @return the task's paper name, or {@code all} */
    public String taskLabel() {
        return task.map(Task::paperName).orElse("all");
    }

    /** @return the variable's paper name, or {@code both} */
    public String variableLabel() {
        return variable.map(Variable::paperName).orElse("both");
    }

    @Override
    public String toString() {
        return taskLabel() + "/" + variableLabel();
    }
}
