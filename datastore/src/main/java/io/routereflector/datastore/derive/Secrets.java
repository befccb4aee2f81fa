package io.routereflector.datastore.derive;

import io.routereflector.datastore.calico.SecretKeyRef;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads {@code secretKeyRef}s from a mounted Secret volume: {@code <dir>/<name>/<key>} (CALICO.md rule 6). */
final class Secrets {

    private Secrets() {
    }

    /**
     * The value with trailing line breaks removed: a hand-written file usually ends in one, while a key
     * for TCP MD5 never does.
     */
    static String read(Path dir, SecretKeyRef ref) {
        if (dir == null) {
            throw new IllegalArgumentException("secret " + ref + " is needed but no secrets directory is configured");
        }
        Path file = dir.resolve(ref.name()).resolve(ref.key());
        try {
            String value = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            int end = value.length();
            while (end > 0 && (value.charAt(end - 1) == '\n' || value.charAt(end - 1) == '\r')) {
                end--;
            }
            if (end == 0) {
                throw new IllegalArgumentException("secret " + ref + " (" + file + ") is empty");
            }
            return value.substring(0, end);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("secret " + ref + " not found: no file " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("secret " + ref + " cannot be read from " + file + ": " + e.getMessage());
        }
    }
}
