package io.deskfleet.controlplane.execution;

import java.util.List;

/** One page of a list query and the total the whole list has (a list response's total_count). */
public record Listed<T>(long totalCount, List<T> items) {
}
