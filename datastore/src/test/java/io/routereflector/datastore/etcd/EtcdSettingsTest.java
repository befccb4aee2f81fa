package io.routereflector.datastore.etcd;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EtcdSettingsTest {

    @Test
    void endpointsFromEveryFormTheOldImageAccepted() {
        assertEquals(List.of(URI.create("http://10.0.0.5:2379"), URI.create("http://10.0.0.6:2379")),
                EtcdSettings.endpoints(" http://10.0.0.5:2379, http://10.0.0.6:2379/ ,", null, null));
        assertEquals(List.of(URI.create("https://etcd.example:2379")), EtcdSettings.endpoints(null, "https", "etcd.example:2379"));
        assertEquals(List.of(URI.create("http://etcd:4001")), EtcdSettings.endpoints("", null, "etcd:4001"));
        assertEquals(List.of(URI.create("http://127.0.0.1:2379")), EtcdSettings.endpoints(null, null, null));
    }

    @Test
    void badEndpointsNameTheVariable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EtcdSettings.endpoints("10.0.0.5:2379", null, null));
        assertTrue(e.getMessage().startsWith("ETCD_ENDPOINTS: '10.0.0.5:2379'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EtcdSettings.endpoints(null, "ftp", "etcd:2379"));
        assertTrue(e.getMessage().startsWith("ETCD_AUTHORITY: 'ftp://etcd:2379'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EtcdSettings.endpoints("http://etcd", null, null));
    }

    @Test
    void settingsCheckTheirParts() {
        List<URI> mixed = List.of(URI.create("http://a:1"), URI.create("https://b:1"));
        assertThrows(IllegalArgumentException.class, () -> EtcdSettings.of(mixed, null, null, null, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> EtcdSettings.of(List.of(URI.create("https://a:1")), null, Path.of("c.pem"), null, null, null));
        EtcdSettings s = EtcdSettings.of(List.of(URI.create("https://a:1")), null, null, null, "root", "secret");
        assertTrue(s.tls());
        assertFalse(s.toString().contains("secret"), s.toString());
        assertEquals("", EtcdSettings.of(List.of(URI.create("http://a:1")), null, null, null, "u", null).password());
    }
}
