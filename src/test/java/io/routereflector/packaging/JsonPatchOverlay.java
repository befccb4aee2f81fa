package io.routereflector.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Renders a kustomize overlay whose patches are all RFC 6902 JSON patches on one base Deployment
 * ({@code add}, {@code replace}; no kustomize binary can be installed here), so the result can go
 * through the same schema validation as the base manifests.
 */
final class JsonPatchOverlay {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private JsonPatchOverlay() {
    }

    /** The base Deployment with every patch of {@code overlayDir}'s kustomization applied in order. */
    static JsonNode render(Path base, Path overlayDir) throws IOException {
        JsonNode doc = YAML.readTree(base.toFile());
        JsonNode kustomization = YAML.readTree(overlayDir.resolve("kustomization.yaml").toFile());
        for (JsonNode patch : kustomization.get("patches")) {
            JsonNode ops = patch.has("path") ? YAML.readTree(overlayDir.resolve(patch.get("path").asText()).toFile())
                    : YAML.readTree(patch.get("patch").asText());
            for (JsonNode op : ops) {
                apply(doc, op);
            }
        }
        return doc;
    }

    private static void apply(JsonNode doc, JsonNode op) {
        String[] path = op.get("path").asText().substring(1).split("/");
        JsonNode parent = doc;
        for (int i = 0; i < path.length - 1; i++) {
            parent = parent.isArray() ? parent.get(Integer.parseInt(path[i])) : parent.get(path[i]);
            if (parent == null) {
                throw new IllegalArgumentException("no " + op.get("path").asText() + " in the base");
            }
        }
        String last = path[path.length - 1];
        JsonNode value = op.get("value");
        switch (op.get("op").asText()) {
            case "add" -> {
                if (parent instanceof ArrayNode a) {
                    if (last.equals("-")) {
                        a.add(value);
                    } else {
                        a.insert(Integer.parseInt(last), value);
                    }
                } else {
                    ((ObjectNode) parent).set(last, value);
                }
            }
            case "replace" -> {
                boolean present = parent.isArray() ? parent.has(Integer.parseInt(last)) : parent.has(last);
                if (!present) {
                    throw new IllegalArgumentException("replace of a missing " + op.get("path").asText());
                }
                if (parent instanceof ArrayNode a) {
                    a.set(Integer.parseInt(last), value);
                } else {
                    ((ObjectNode) parent).set(last, value);
                }
            }
            default -> throw new IllegalArgumentException("unsupported op " + op);
        }
    }
}
