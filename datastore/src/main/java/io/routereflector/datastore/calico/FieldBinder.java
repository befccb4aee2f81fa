package io.routereflector.datastore.calico;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds a resource's JSON into its {@link Shapes} record one field at a time, as calico/node converts each
 * field on its own: a field of the wrong type is reported and left out (its default applies), the others
 * still bind. In the objects named {@code strict} every field must be a component of the shape or in
 * {@link CalicoFields}' table; anything else is reported by name, so that no setting is silently ignored.
 */
final class FieldBinder {

    /** Reports one problem at a dotted field path relative to the resource. */
    interface Report {
        void problem(String field, String message);
    }

    private final ObjectMapper mapper;
    private final Set<String> strict;
    private final String kind;
    private final Report report;

    /**
     * @param kind   the resource's kind, for {@link CalicoFields}
     * @param strict the dotted paths ({@code spec}, {@code spec.bgp}) whose unknown fields are reported
     */
    FieldBinder(ObjectMapper mapper, String kind, Set<String> strict, Report report) {
        this.mapper = mapper;
        this.kind = kind;
        this.strict = strict;
        this.report = report;
    }

    /** The record bound from what could be bound; null only when {@code node} is no object at all. */
    <T extends Record> T bind(JsonNode node, Class<T> type) {
        if (!node.isObject()) {
            report.problem("", "expected a mapping");
            return null;
        }
        ObjectNode clean = clean((ObjectNode) node, type, "");
        try {
            return mapper.treeToValue(clean, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            report.problem("", "cannot bind: " + e.getMessage());
            return null;
        }
    }

    private ObjectNode clean(ObjectNode node, Class<?> type, String path) {
        Map<String, RecordComponent> components = new java.util.HashMap<>();
        for (RecordComponent c : type.getRecordComponents()) {
            components.put(c.getName(), c);
        }
        ObjectNode out = mapper.createObjectNode();
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode value = node.get(name);
            String field = path.isEmpty() ? name : path + "." + name;
            RecordComponent c = components.get(name);
            if (c == null) {
                if (strict.contains(path)) {
                    CalicoFields.unbound(kind, field, value, report);
                }
                continue;
            }
            if (value.isNull()) {
                continue;
            }
            Class<?> t = c.getType();
            if (t.isRecord()) {
                if (!value.isObject()) {
                    report.problem(field, "expected a mapping, not " + shown(value) + "; left unset");
                    continue;
                }
                out.set(name, clean((ObjectNode) value, t, field));
                continue;
            }
            if (!fits(value, c.getGenericType())) {
                report.problem(field, "expected " + expected(c.getGenericType()) + ", not " + shown(value) + "; left unset");
                continue;
            }
            out.set(name, value);
        }
        return out;
    }

    private boolean fits(JsonNode value, Type type) {
        try {
            mapper.convertValue(value, mapper.getTypeFactory().constructType(type));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String expected(Type type) {
        if (type == Boolean.class) {
            return "true or false";
        }
        if (type == Integer.class || type == Long.class) {
            return "a whole number";
        }
        if (type == String.class) {
            return "a string or number";
        }
        return "a " + type.getTypeName().replaceAll("[a-z.]+\\.", "").replace("$", ".");
    }

    static String shown(JsonNode value) {
        String text = value.isTextual() ? "'" + value.asText() + "'" : value.toString();
        return text.length() > 80 ? text.substring(0, 77) + "…" : text;
    }
}
