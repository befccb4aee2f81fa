package io.routereflector.datastore.calico;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.routereflector.datastore.ResourceProblem;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a calicoctl file: YAML (several documents separated by {@code ---}) or JSON (one or more root
 * values), each document a resource or a {@code kind: List}. Jackson does the parsing; this class builds
 * the tree from Jackson's tokens itself so that it can remember the line of every field, which is what
 * a problem report points at. A syntax error anywhere marks the whole file {@link Result#broken()}.
 */
public final class ResourceReader {

    private static final JsonFactory JSON = new JsonFactory();
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * @param broken  the file did not parse; {@code resources} then holds nothing from it
     * @param skipped how many resources were left out as a whole (bad fields alone fall back and count not)
     */
    public record Result(List<CalicoResource> resources, List<ResourceProblem> problems, boolean broken, int skipped) {
        public Result {
            resources = List.copyOf(resources);
            problems = List.copyOf(problems);
        }
    }

    private ResourceReader() {
    }

    /** @param name how problems name the file, e.g. its path; {@code json} picks the JSON parser, else YAML */
    public static Result read(String name, byte[] content, boolean json) {
        List<CalicoResource> resources = new ArrayList<>();
        List<ResourceProblem> problems = new ArrayList<>();
        List<Document> documents = new ArrayList<>();
        try (JsonParser p = (json ? JSON : YAML).createParser(content)) {
            while (p.nextToken() != null) {
                Map<String, Integer> lines = new HashMap<>();
                JsonNode root = value(p, "", lines);
                if (!root.isNull()) {
                    documents.add(new Document(root, lines));
                }
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1 ? name : name + ":" + at.getLineNr();
            String message = e.getOriginalMessage();
            int nl = message.indexOf('\n');
            problems.add(new ResourceProblem(where, "", "does not parse as " + (json ? "JSON" : "YAML") + ": "
                    + (nl < 0 ? message : message.substring(0, nl))));
            return new Result(List.of(), problems, true, 0);
        } catch (IOException | RuntimeException e) {
            // snakeyaml reports some syntax errors as unchecked exceptions of its own.
            problems.add(new ResourceProblem(name, "", "does not parse as " + (json ? "JSON" : "YAML") + ": " + e.getMessage()));
            return new Result(List.of(), problems, true, 0);
        }
        int skipped = 0;
        for (Document d : documents) {
            ResourceDecoder.Decoded decoded = ResourceDecoder.decode(d.root, field -> name + ":" + d.line(field));
            resources.addAll(decoded.resources());
            problems.addAll(decoded.problems());
            skipped += decoded.skipped();
        }
        return new Result(resources, problems, false, skipped);
    }

    private record Document(JsonNode root, Map<String, Integer> lines) {
        /** The line of the field, or of its nearest ancestor that exists (a missing field is reported at its parent). */
        int line(String field) {
            String f = field;
            while (true) {
                Integer line = lines.get(f);
                if (line != null) {
                    return line;
                }
                if (f.isEmpty()) {
                    return 1;
                }
                int cut = Math.max(f.lastIndexOf('.'), f.lastIndexOf('['));
                f = cut < 0 ? "" : f.substring(0, cut);
            }
        }
    }

    private static JsonNode value(JsonParser p, String path, Map<String, Integer> lines) throws IOException {
        lines.putIfAbsent(path, p.currentTokenLocation().getLineNr());
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                ObjectNode o = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    String child = path.isEmpty() ? field : path + "." + field;
                    int line = p.currentTokenLocation().getLineNr();
                    lines.putIfAbsent(child, line);
                    if (path.isEmpty() && o.isEmpty()) {
                        // A YAML document "starts" at its "---"; people look for its first field.
                        lines.put("", line);
                    }
                    p.nextToken();
                    o.set(field, value(p, child, lines));
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = NODES.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(value(p, path + "[" + i++ + "]", lines));
                }
                return a;
            }
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? NODES.numberNode(p.getBigIntegerValue())
                        : NODES.numberNode(p.getLongValue());
            case VALUE_NUMBER_FLOAT:
                // Kept as written: an unquoted asdot AS number "1.10" is a float to YAML and must not become 1.1.
                return NODES.textNode(p.getText());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                return NODES.textNode(p.getText());
        }
    }
}
