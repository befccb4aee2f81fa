package io.routereflector.wire.nlri;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpPrefixTest {

    /** RFC 5952 text: the longest run of two or more zero groups becomes "::", the first on a tie. */
    @ParameterizedTest
    @CsvSource({
        "::/0, ::/0",
        "::1/128, ::1/128",
        "2001:db8::/32, 2001:db8::/32",
        "2001:0db8:0000:0000:0000:0000:0000:0001/128, 2001:db8::1/128",
        "2001:db8:0:1:0:0:0:0/64, 2001:db8:0:1::/64",
        "2001:db8:0:0:1:0:0:0/80, 2001:db8:0:0:1::/80",
        "1:0:0:2:0:0:3:4/128, 1::2:0:0:3:4/128",
        "2001:db8:0:1:1:1:1:1/128, 2001:db8:0:1:1:1:1:1/128",
        "1:0:0:2:0:0:0:3/128, 1:0:0:2::3/128",
        "fe80::/10, fe80::/10",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
        "::ffff:10.0.0.0/104, ::ffff:a00:0/104",
        "::ffff:0:0/96, ::ffff:0:0/96",
    })
    void ipv6Text(String input, String expected) {
        IpPrefix prefix = IpPrefix.parse(input);
        assertEquals(expected, prefix.toString());
        assertEquals(prefix, IpPrefix.parse(prefix.toString()));
        assertEquals(AddressFamily.IPV6_UNICAST, prefix.family());
    }

    @Test
    void ipv4Text() {
        Ipv4Prefix p = (Ipv4Prefix) IpPrefix.parse("192.168.1.0/24");
        assertEquals(0xc0a80100, p.address());
        assertEquals("192.168.1.0/24", p.toString());
        assertEquals("0.0.0.0/0", IpPrefix.parse("0.0.0.0/0").toString());
        assertEquals("255.255.255.255/32", IpPrefix.parse("255.255.255.255/32").toString());
        assertEquals(AddressFamily.IPV4_UNICAST, p.family());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "10.0.0.0", "10.0.0.1/24", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0/8", "10.0.0.0.0/8", "256.0.0.0/8",
        "10..0.0/8", "1000.0.0.0/8", "a.b.c.d/8", "10.0.0.0/", "10.0.0.0/+8", "10.0.0.0/0008",
        "\u0661\u0660.0.0.0/8", "10.0.0.0/\u0668",
        "2001:db8::1/64", "2001:db8::/129", "2001:db8::", "2001:db8::/x", "2001:dbg::/32", "2001:db8:::/32",
        "2001:db8::%eth0/64", "\uff12001:db8::/32", "2001:db8::/\u0663\u0662", "1:2:3:4:5:6:7:8:9/128",
    })
    void parseErrors(String text) {
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse(text));
    }

    @Test
    void constructorsRefuseHostBitsAndBadLengths() {
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Prefix(1, 31));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Prefix(0, 33));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Prefix(0, -1));
        assertThrows(IllegalArgumentException.class, () -> new Ipv6Prefix(0, 1, 127));
        assertThrows(IllegalArgumentException.class, () -> new Ipv6Prefix(1, 0, 63));
        assertThrows(IllegalArgumentException.class, () -> new Ipv6Prefix(0, 0, 129));
        assertThrows(IllegalArgumentException.class, () -> new Ipv6Prefix(0, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Prefix.parse("10.0.0.0"));
        assertThrows(IllegalArgumentException.class, () -> Ipv6Prefix.parse("::"));
        assertThrows(IllegalArgumentException.class, () -> Ipv6Prefix.parseAddress("10.0.0.1"));
    }

    @Test
    void ipv6AddressBytes() {
        Ipv6Prefix p = Ipv6Prefix.parse("2001:db8::1/128");
        byte[] bytes = p.addressBytes();
        assertEquals(0x20, bytes[0]);
        assertEquals(0x01, bytes[15]);
        assertArrayEquals(bytes, Ipv6Prefix.parseAddress("2001:db8::1"));
        byte[] mapped = Ipv6Prefix.parseAddress("::ffff:10.0.0.1");
        assertEquals((byte) 0xff, mapped[10]);
        assertEquals(10, mapped[12]);
        assertEquals(1, mapped[15]);
    }

    @Test
    void ordering() {
        List<IpPrefix> sorted = List.of(IpPrefix.parse("10.0.0.0/8"), IpPrefix.parse("10.0.0.0/16"),
                IpPrefix.parse("128.0.0.0/1"), IpPrefix.parse("::/0"), IpPrefix.parse("2001:db8::/32"),
                IpPrefix.parse("2001:db8::1/128"), IpPrefix.parse("2001:db8::2/128"), IpPrefix.parse("ff00::/8"));
        List<IpPrefix> shuffled = new ArrayList<>(sorted);
        Collections.reverse(shuffled);
        Collections.sort(shuffled);
        assertEquals(sorted, shuffled);
        assertEquals(0, IpPrefix.parse("10.0.0.0/8").compareTo(IpPrefix.parse("10.0.0.0/8")));
    }

    @Test
    void addressFamilies() {
        assertTrue(AddressFamily.IPV4_UNICAST.isSupported());
        assertFalse(new AddressFamily(1, 2).isSupported());
        assertEquals(32, AddressFamily.IPV4_UNICAST.maxPrefixLength());
        assertEquals(128, AddressFamily.IPV6_UNICAST.maxPrefixLength());
        assertEquals(-1, new AddressFamily(25, 70).maxPrefixLength());
        assertEquals("ipv6-unicast", AddressFamily.of(2, 1).toString());
        assertEquals("afi25/safi70", AddressFamily.of(25, 70).toString());
        assertTrue(AddressFamily.of(1, 1) == AddressFamily.IPV4_UNICAST);
        assertThrows(IllegalArgumentException.class, () -> new AddressFamily(65536, 1));
        assertThrows(IllegalArgumentException.class, () -> new AddressFamily(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> new AddressFamily(1, 256));
        assertThrows(IllegalArgumentException.class, () -> new AddressFamily(1, -1));
        assertEquals("10.0.0.0/8", Nlri.of(IpPrefix.parse("10.0.0.0/8")).toString());
    }

    /** Calico's blocks differ only above their host bits: the hash must still spread them over buckets. */
    @Test
    void hashesOfAlignedBlocksFillEveryLowBucket() {
        java.util.Set<Integer> v4 = new java.util.HashSet<>();
        java.util.Set<Integer> v6 = new java.util.HashSet<>();
        for (int i = 0; i < 4096; i++) {
            v4.add(new Ipv4Prefix(0x0A000000 + (i << 6), 26).hashCode() & 255);
            v6.add(new Ipv6Prefix(0xFD00000000000000L, (long) i << 6, 122).hashCode() & 255);
        }
        assertEquals(256, v4.size(), "IPv4 /26 buckets used of 256");
        assertEquals(256, v6.size(), "IPv6 /122 buckets used of 256");
        assertEquals(new Ipv4Prefix(0x0A000040, 26).hashCode(), Ipv4Prefix.parse("10.0.0.64/26").hashCode());
        assertTrue(new Ipv4Prefix(0x0A000000, 25).hashCode() != new Ipv4Prefix(0x0A000000, 26).hashCode());
    }
}
