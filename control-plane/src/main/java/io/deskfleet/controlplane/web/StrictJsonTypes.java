package io.deskfleet.controlplane.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * A number or boolean where the contract has a string is a 400, like any other wrong JSON type, and so is a string
 * where it has a number or boolean: Jackson converts them silently by default, and even with scalar coercion off
 * (application.yml) it still reads a blank string as null, so {@code "dry_run": " "} would run a command for real.
 * Likewise a JSON number with a fraction or an exponent ({@code 2.5}, {@code 2.0}, {@code 1e3}) where the contract
 * has an Integer: Jackson would truncate it ({@code "gray_count": 2.5} would run a gray batch of 2). And no string
 * may carry NUL ({@link TextWithoutNul}).
 */
@Singleton
public class StrictJsonTypes implements BeanCreatedEventListener<ObjectMapper> {

    @Override
    public ObjectMapper onCreated(BeanCreatedEvent<ObjectMapper> event) {
        ObjectMapper mapper = event.getBean();
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        for (LogicalType type : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            mapper.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                    .setAcceptBlankAsEmpty(false);
        }
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.registerModule(new SimpleModule("deskfleet-text").addDeserializer(String.class, new TextWithoutNul()));
        return mapper;
    }
}
