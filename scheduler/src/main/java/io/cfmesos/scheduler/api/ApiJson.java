package io.cfmesos.scheduler.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.util.Map;

/**
 * The JSON cf-mesos writes about itself: status, health and error bodies. Keys are the record components in
 * snake_case; times are ISO-8601 strings made by the records' producers. Diego's wire JSON is not written here but
 * by io.cfmesos.diego.DiegoJson, the one setup for it.
 */
final class ApiJson {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    private ApiJson() {
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    /** Diego's error body, {@code {"error":"..."}} (cloudfoundry/auctioneer handlers/helpers.go HandlerError). */
    static byte[] error(String message) {
        return write(Map.of("error", message == null ? "" : message));
    }
}
