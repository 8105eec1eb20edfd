package io.podidentity.identity;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;

/** Jackson data binding for the input files, with their errors worded for the user. */
final class Binding {

    private Binding() {}

    /**
     * A mapper that reads as upstream's Go reads a file into a struct with {@code encoding/json}:
     * field names match case-insensitively, unknown fields are skipped, {@code null} leaves a field
     * as it was, and a value of another JSON type is an error, never converted ({@code "5"} is no
     * number, {@code 1} no boolean, {@code 1.5} no integer, {@code 5} no string).
     */
    static <M extends ObjectMapper, B extends MapperBuilder<M, B>> M likeGo(B builder) {
        return builder.enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT, DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .defaultSetterInfo(JsonSetter.Value.forValueNulls(Nulls.SKIP))
                .withCoercionConfig(LogicalType.Textual, text -> text
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .build();
    }

    /**
     * Binds a tree already read, so that a syntax error anywhere is reported before any value of
     * the wrong type; {@code problem} words the latter from Jackson's exception. Its path names a
     * class's fields as the input spells them (a record's as declared).
     */
    static <T> T bind(ObjectReader reader, JsonNode tree, Function<JsonMappingException, String> problem) {
        try {
            return reader.readValue(tree);
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException(problem.apply(e));
        } catch (IOException e) {
            throw new UncheckedIOException("reading a tree in memory", e);
        }
    }
}
