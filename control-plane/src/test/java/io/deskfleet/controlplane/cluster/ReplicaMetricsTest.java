package io.deskfleet.controlplane.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a scraper reads from a replica's registry (MetricsAndHealthTest reads a single control plane's). */
class ReplicaMetricsTest {

    @Test
    void aReplicasSeriesCarryItsIdAndTheInfoGaugeNamesIt() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ReplicaMetrics metrics = new ReplicaMetrics(new Replica("eu-1", "jdbc:postgresql://db/deskfleet"));
        metrics.configure(registry);
        metrics.bindTo(registry);
        Counter.builder("deskfleet.invocations").tag("status", "SUCCESS").register(registry).increment();

        List<String> samples = registry.scrape().lines().filter(line -> !line.startsWith("#")).toList();
        assertEquals(List.of("deskfleet_invocations_total{replica=\"eu-1\",status=\"SUCCESS\"} 1.0",
                "deskfleet_replica_info{replica=\"eu-1\"} 1"), samples.stream().sorted().toList());
        assertTrue(registry.scrape().contains("# HELP deskfleet_replica_info Always 1"), registry.scrape());
    }
}
