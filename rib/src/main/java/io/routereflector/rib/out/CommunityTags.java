package io.routereflector.rib.out;

import io.routereflector.rib.policy.CommunityTag;
import io.routereflector.wire.attribute.Communities;
import io.routereflector.wire.attribute.LargeCommunities;
import io.routereflector.wire.attribute.PathAttributes;

import java.util.Arrays;
import java.util.List;

/** Adds the prefix advertisements' communities to exported attributes, as BIRD's {@code .add} does: each value once. */
final class CommunityTags {

    private CommunityTags() {
    }

    static PathAttributes add(PathAttributes attributes, List<CommunityTag> tags, long mask) {
        Communities communities = attributes.communities();
        int[] standard = communities == null ? new int[0] : communities.values();
        LargeCommunities largeCommunities = attributes.largeCommunities();
        int[] large = largeCommunities == null ? new int[0] : largeCommunities.values();
        int standardBefore = standard.length;
        int largeBefore = large.length;
        for (int i = 0; i < tags.size(); i++) {
            if ((mask & (1L << i)) == 0) {
                continue;
            }
            CommunityTag tag = tags.get(i);
            for (int value : tag.standard()) {
                if (!contains(standard, value)) {
                    standard = Arrays.copyOf(standard, standard.length + 1);
                    standard[standard.length - 1] = value;
                }
            }
            int[] l = tag.large();
            for (int j = 0; j < l.length; j += 3) {
                if (!containsLarge(large, l[j], l[j + 1], l[j + 2])) {
                    large = Arrays.copyOf(large, large.length + 3);
                    large[large.length - 3] = l[j];
                    large[large.length - 2] = l[j + 1];
                    large[large.length - 1] = l[j + 2];
                }
            }
        }
        PathAttributes out = attributes;
        if (standard.length != standardBefore) {
            out = out.with(new Communities(standard));
        }
        if (large.length != largeBefore) {
            out = out.with(new LargeCommunities(large));
        }
        return out;
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsLarge(int[] values, int a, int b, int c) {
        for (int i = 0; i < values.length; i += 3) {
            if (values[i] == a && values[i + 1] == b && values[i + 2] == c) {
                return true;
            }
        }
        return false;
    }
}
