package io.deskfleet.controlplane.agentlink;

import io.deskfleet.agent.v1.AgentLinkGrpc;
import io.deskfleet.agent.v1.RegisterRequest;
import io.deskfleet.agent.v1.RegisterResponse;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A Register call issued without waiting, with the agent's 10 s deadline, so tests can send many at once. */
final class AsyncRegister {
    private AsyncRegister() {
    }

    static CompletableFuture<RegisterResponse> register(Channel channel, RegisterRequest request) {
        CompletableFuture<RegisterResponse> result = new CompletableFuture<>();
        AgentLinkGrpc.newStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).register(request,
                new StreamObserver<>() {
                    @Override
                    public void onNext(RegisterResponse value) {
                        result.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        result.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        return result;
    }
}
