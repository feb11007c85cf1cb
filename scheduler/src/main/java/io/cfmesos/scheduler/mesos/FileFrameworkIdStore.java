package io.cfmesos.scheduler.mesos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.mesos.v1.Protos.FrameworkID;

/**
 * Keeps the framework id in one small text file (the id and a newline). Writes go to a temporary
 * file in the same directory and are renamed over the old one, so a crash never leaves half an id.
 */
public final class FileFrameworkIdStore implements FrameworkIdStore {
    // Mesos ids are "<master uuid>-<4 digit counter>"; accept any sane token, reject binary junk.
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,256}");

    private final Path file;

    public FileFrameworkIdStore(Path file) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized Optional<FrameworkID> load() throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (!VALID.matcher(text).matches()) {
            throw new IOException("framework id file " + file + " does not hold a framework id (got "
                    + text.length() + " characters that are not [A-Za-z0-9._-]); fix or remove it");
        }
        return Optional.of(FrameworkID.newBuilder().setValue(text).build());
    }

    @Override
    public synchronized void save(FrameworkID id) throws IOException {
        String value = Objects.requireNonNull(id, "id").getValue();
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("not a framework id: '" + value + "'");
        }
        Path dir = file.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, value + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public synchronized void clear() throws IOException {
        Files.deleteIfExists(file);
    }

    @Override
    public String toString() {
        return "framework id file " + file;
    }
}
