package io.deskfleet.controlplane.execution;

import io.deskfleet.agent.v1.CancelCommand;
import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.Interpreter;
import io.deskfleet.agent.v1.RunCommand;
import io.deskfleet.api.script.ScriptType;

/** The messages the engine sends an agent about a step: run it, or cancel it. Power actions are inventory's. */
final class CommandMessages {
    /** The most output a record's JSON keeps; the agent puts no more in its result. */
    static final int MAX_OUTPUT_CHARS = 64 * 1024;

    /** RunCommand.full_output_max_bytes: the agent keeps and streams this much output (output.OutputWriter). */
    private final long fullOutputBytes;

    CommandMessages(long fullOutputBytes) {
        this.fullOutputBytes = fullOutputBytes;
    }

    ControlMessage run(InflightCommand command) {
        TaskStep step = command.task.definition.steps().get(command.step);
        return ControlMessage.newBuilder().setRun(RunCommand.newBuilder()
                .setInvocationId(command.recordId)
                .setInterpreter(interpreter(step.type()))
                .setContent(step.content())
                .setTimeoutSeconds((int) command.task.executionTimeout().toSeconds())
                .setMaxOutputBytes(MAX_OUTPUT_CHARS)
                .setFullOutputMaxBytes(fullOutputBytes)).build();
    }

    static ControlMessage cancel(String invocationId) {
        return ControlMessage.newBuilder().setCancel(CancelCommand.newBuilder().setInvocationId(invocationId)).build();
    }

    /** What a desktop that may have missed it gets again: the command, or its cancel once it was stopped. */
    ControlMessage current(InflightCommand command) {
        return command.cancelRequested ? cancel(command.recordId) : run(command);
    }

    private static Interpreter interpreter(ScriptType type) {
        return switch (type) {
            case SHELL -> Interpreter.INTERPRETER_SHELL;
            case POWERSHELL -> Interpreter.INTERPRETER_POWERSHELL;
            case BAT -> Interpreter.INTERPRETER_BAT;
        };
    }
}
