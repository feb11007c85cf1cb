package io.cfmesos.diego;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.util.List;

/**
 * Writes an empty list as {@code null}: the records cannot tell Go's nil slice from an empty one, and the Go
 * side writes nil for "none" (e.g. {@code "Tasks":null} in a rep {@code Work}, {@code "PlacementTags":null} from
 * BBS; diego-wire.md §5), so that is the faithful rendering. Readers accept both.
 */
final class NilWhenEmpty extends StdSerializer<List<?>> {
    private static final long serialVersionUID = 1L;

    NilWhenEmpty() {
        super(List.class, false);
    }

    @Override
    public void serialize(List<?> value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        if (value.isEmpty()) {
            gen.writeNull();
        } else {
            provider.defaultSerializeValue(value, gen);
        }
    }
}
