package io.cfmesos.bench;

import io.cfmesos.diego.DiegoJson;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes an assignments file, one {@link Assignment} JSON object per line. */
public final class AssignmentsWriter implements Closeable {
    private final OutputStream out;

    public AssignmentsWriter(Path file) throws IOException {
        this(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
    }

    public AssignmentsWriter(OutputStream out) {
        this.out = out;
    }

    public void write(String strategy, String id, String agent, String reason) {
        try {
            out.write(DiegoJson.write(new Assignment(strategy, id, agent, agent == null ? reason : null)));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
