package io.deskfleet.api.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * An access key as Huawei IAM shows it. {@code secret} is present only in the answer that creates the key: it is
 * shown once.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccessKey(String access, String secret, String status, String userId, String description,
                        String createTime) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record One(AccessKey credential) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record All(List<AccessKey> credentials) {
    }
}
