package io.routereflector.datastore.calico;

import java.util.regex.Pattern;

/**
 * A key of a Kubernetes Secret. Outside Kubernetes it is read from {@code <secrets dir>/<name>/<key>},
 * the layout of a mounted Secret volume (CALICO.md rule 6), so both parts must be plain path segments.
 */
public record SecretKeyRef(String name, String key) {

    /** Kubernetes Secret names are DNS subdomains; keys are [-._a-zA-Z0-9]+. Neither may climb out of the directory. */
    private static final Pattern SEGMENT = Pattern.compile("[-._A-Za-z0-9]{1,253}");

    public SecretKeyRef {
        if (name == null || key == null) {
            throw new IllegalArgumentException("secretKeyRef needs both name and key");
        }
        for (String part : new String[] {name, key}) {
            if (!SEGMENT.matcher(part).matches() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("'" + part + "' is not a Secret name or key ([-._A-Za-z0-9], not . or ..)");
            }
        }
    }

    @Override
    public String toString() {
        return name + "/" + key;
    }
}
