package io.routereflector.wire.message;

import io.routereflector.wire.attribute.AttributeProblem;
import io.routereflector.wire.attribute.MpReachNlri;
import io.routereflector.wire.attribute.MpUnreachNlri;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.attribute.Rfc7606Action;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.Nlri;
import io.routereflector.wire.nlri.NlriEncoding;
import io.routereflector.wire.nlri.NlriList;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * UPDATE (RFC 4271 §4.3): IPv4 withdrawn routes, path attributes (MP_REACH_NLRI/MP_UNREACH_NLRI
 * among them, in wire order), IPv4 NLRI. {@code problems} are the soft RFC 7606 outcomes the
 * decoder found; they are never encoded. When {@link #treatAsWithdraw()} holds, every route the
 * UPDATE announces ({@link #reachable}) must be handled as withdrawn (RFC 7606 §2).
 */
public record Update(NlriList withdrawn, PathAttributes attributes, NlriList nlri, List<AttributeProblem> problems)
        implements BgpMessage {

    private static final AddressFamily IPV4 = AddressFamily.IPV4_UNICAST;

    public Update {
        if (withdrawn == null || attributes == null || nlri == null) {
            throw new IllegalArgumentException("withdrawn, attributes and nlri are required");
        }
        if (!withdrawn.family().equals(IPV4) || !nlri.family().equals(IPV4)) {
            throw new IllegalArgumentException("the UPDATE's own fields carry IPv4 unicast only");
        }
        withdrawn = NlriEncoding.canonical(withdrawn);
        nlri = NlriEncoding.canonical(nlri);
        problems = List.copyOf(problems);
    }

    public Update(NlriList withdrawn, PathAttributes attributes, NlriList nlri) {
        this(withdrawn, attributes, nlri, List.of());
    }

    /** Announces IPv4 {@code nlri} (and whatever MP_REACH_NLRI {@code attributes} carry). */
    public static Update announce(PathAttributes attributes, NlriList nlri) {
        return new Update(NlriList.empty(IPV4), attributes, nlri);
    }

    /** Withdraws IPv4 routes. */
    public static Update withdraw(NlriList withdrawn) {
        return new Update(withdrawn, PathAttributes.EMPTY, NlriList.empty(IPV4));
    }

    /**
     * The End-of-RIB marker (RFC 4724 §2): for IPv4 unicast an UPDATE with nothing in it, for other
     * families an UPDATE whose only content is an empty MP_UNREACH_NLRI of that family.
     */
    public static Update endOfRib(AddressFamily family) {
        PathAttributes attributes = family.equals(IPV4) ? PathAttributes.EMPTY : PathAttributes.of(MpUnreachNlri.endOfRib(family));
        return new Update(NlriList.empty(IPV4), attributes, NlriList.empty(IPV4));
    }

    /** The family this UPDATE marks the End-of-RIB of, or null when it is not such a marker. */
    public AddressFamily endOfRibFamily() {
        if (!withdrawn.isEmpty() || !nlri.isEmpty()) {
            return null;
        }
        if (attributes.isEmpty()) {
            return IPV4;
        }
        if (attributes.size() == 1) {
            MpUnreachNlri unreach = attributes.mpUnreach();
            if (unreach != null && unreach.isEmpty()) {
                return unreach.family();
            }
        }
        return null;
    }

    public boolean isEndOfRib() {
        return endOfRibFamily() != null;
    }

    public boolean hasProblems() {
        return !problems.isEmpty();
    }

    /** True when some problem calls for treat-as-withdraw (RFC 7606 §2). */
    public boolean treatAsWithdraw() {
        for (AttributeProblem p : problems) {
            if (p.action() == Rfc7606Action.TREAT_AS_WITHDRAW) {
                return true;
            }
        }
        return false;
    }

    /** The strongest approach among the problems (RFC 7606 §3 h), or null when there is none. */
    public Rfc7606Action strongestAction() {
        Rfc7606Action strongest = null;
        for (AttributeProblem p : problems) {
            if (strongest == null || p.action().isStrongerThan(strongest)) {
                strongest = p.action();
            }
        }
        return strongest;
    }

    /** Families to disable for the rest of the session (RFC 7606 §2, RFC 4760 §7). */
    public Set<AddressFamily> disabledFamilies() {
        Set<AddressFamily> families = new LinkedHashSet<>();
        for (AttributeProblem p : problems) {
            if (p.action() == Rfc7606Action.AFI_SAFI_DISABLE) {
                families.add(p.family());
            }
        }
        return families;
    }

    /** Routes announced for {@code family} (IPv4 or IPv6 unicast), from the NLRI field and MP_REACH_NLRI. */
    public NlriList reachable(AddressFamily family) {
        MpReachNlri reach = attributes.mpReach();
        NlriList mp = reach != null && reach.family().equals(family) ? reach.nlri() : null;
        return merge(family, family.equals(IPV4) ? nlri : null, mp);
    }

    /** Routes withdrawn for {@code family}, from the Withdrawn Routes field and MP_UNREACH_NLRI. */
    public NlriList unreachable(AddressFamily family) {
        MpUnreachNlri unreach = attributes.mpUnreach();
        NlriList mp = unreach != null && unreach.family().equals(family) ? unreach.withdrawn() : null;
        return merge(family, family.equals(IPV4) ? withdrawn : null, mp);
    }

    private static NlriList merge(AddressFamily family, NlriList field, NlriList mp) {
        if (!family.isSupported()) {
            throw new IllegalArgumentException("NLRI of " + family + " are not decoded");
        }
        boolean noField = field == null || field.isEmpty();
        boolean noMp = mp == null || mp.isEmpty();
        if (noField) {
            return noMp ? NlriList.empty(family) : mp;
        }
        if (noMp) {
            return field;
        }
        // Both at once is legal though discouraged (RFC 7606 §5.1): the one rare path that copies.
        List<Nlri> all = new ArrayList<>(field.size() + mp.size());
        all.addAll(field);
        all.addAll(mp);
        return NlriList.of(family, field.withPathIds() || mp.withPathIds(), all);
    }

    @Override
    public MessageType type() {
        return MessageType.UPDATE;
    }
}
