package io.deskfleet.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DescriptorLimitTest {
    @Test
    void aSizeWithinTheHardLimitLessTheReserveIsMeasured() {
        assertNull(new DescriptorLimit(20_000, 20_000).refusal("the control plane", 19_000));
    }

    @Test
    void aSizeBeyondItIsRefusedNamingTheLimitAndTheLargestThatFits() {
        String refusal = new DescriptorLimit(1024, 20_000).refusal("the control plane", 100_000);

        assertTrue(refusal.startsWith("not measured: 100000 connections need 101000 descriptors in the control plane"),
                refusal);
        assertTrue(refusal.contains("RLIMIT_NOFILE hard limit is 20000 (at most 19000 connections)"), refusal);
    }

    @Test
    void thisProcessHasALimitAndTheJvmRaisedItsSoftLimitToTheHardOne() {
        DescriptorLimit limit = DescriptorLimit.of(ProcessHandle.current().pid());

        assertTrue(limit.hard() >= limit.soft() && limit.soft() > 0, limit.toString());
    }
}
