package io.deskfleet.controlplane.agentlink;

import io.grpc.ManagedChannel;
import io.grpc.testing.GrpcCleanupRule;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.runner.Description;
import org.junit.runners.model.Statement;

import java.lang.reflect.Method;

/**
 * grpc-java's {@link GrpcCleanupRule} (a JUnit 4 rule) for JUnit 5: each test method runs inside the rule, so what
 * it registered is shut down after it, and a test that passed fails when a channel does not terminate in time, for
 * example because it left a stream open. Register it as a {@code @RegisterExtension} field.
 */
final class GrpcCleanupExtension implements InvocationInterceptor {
    private final GrpcCleanupRule rule = new GrpcCleanupRule();

    <T extends ManagedChannel> T register(T channel) {
        return rule.register(channel);
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> method,
                                    ExtensionContext context) throws Throwable {
        Statement test = new Statement() {
            @Override
            public void evaluate() throws Throwable {
                invocation.proceed();
            }
        };
        rule.apply(test, Description.createTestDescription(context.getRequiredTestClass(),
                context.getDisplayName())).evaluate();
    }
}
