package io.routereflector.daemon.ops;

import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.ReflectorConfig;
import io.routereflector.rib.PeerKey;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a new configuration changes, in one log line: peers added, removed, and changed with the names
 * of the settings that differ. A password is named when it changed, never shown.
 */
public final class ConfigChange {

    private ConfigChange() {
    }

    public static String describe(ReflectorConfig before, ReflectorConfig after) {
        List<String> parts = new ArrayList<>();
        if (before == null) {
            parts.add("initial: router id " + after.routerId().getHostAddress() + ", cluster id " + after.clusterId().getHostAddress()
                    + ", AS " + after.localAs() + ", " + after.peers().size() + " peers; export policy: " + ExportSummary.describe(after));
            before = new ReflectorConfig(after.routerId(), after.clusterId(), after.localAs(), after.listenAddresses(), after.port(),
                    List.of(), after.restarted());
        } else {
            for (String field : differing(before, after, "peers")) {
                parts.add(field + " changed");
            }
        }
        Map<PeerKey, PeerConfig> old = index(before.peers());
        Map<PeerKey, PeerConfig> now = index(after.peers());
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (PeerConfig p : now.values()) {
            PeerConfig o = old.get(p.key());
            if (o == null) {
                added.add(p.key() + " (" + p.kind() + ", " + p.role() + ")");
            } else if (!o.equals(p)) {
                changed.add(p.key() + " (" + String.join(", ", differing(o, p)) + ")");
            }
        }
        for (PeerConfig o : old.values()) {
            if (!now.containsKey(o.key())) {
                removed.add(o.key().toString());
            }
        }
        if (!added.isEmpty()) {
            parts.add(added.size() + " peers added: " + String.join(", ", added));
        }
        if (!removed.isEmpty()) {
            parts.add(removed.size() + " removed: " + String.join(", ", removed));
        }
        if (!changed.isEmpty()) {
            parts.add(changed.size() + " changed: " + String.join(", ", changed));
        }
        return parts.isEmpty() ? "no change" : String.join("; ", parts);
    }

    private static Map<PeerKey, PeerConfig> index(List<PeerConfig> peers) {
        Map<PeerKey, PeerConfig> out = new LinkedHashMap<>();
        for (PeerConfig p : peers) {
            out.put(p.key(), p);
        }
        return out;
    }

    /** The names of the record components that differ, {@code skip} left out. */
    static List<String> differing(Record a, Record b, String... skip) {
        List<String> out = new ArrayList<>();
        for (RecordComponent c : a.getClass().getRecordComponents()) {
            if (List.of(skip).contains(c.getName())) {
                continue;
            }
            try {
                if (!Objects.equals(c.getAccessor().invoke(a), c.getAccessor().invoke(b))) {
                    out.add(c.getName());
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }
}
