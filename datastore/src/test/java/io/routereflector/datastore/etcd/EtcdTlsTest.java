package io.routereflector.datastore.etcd;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Date;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EtcdTlsTest {

    @TempDir
    Path dir;

    private static KeyPair pair(String algorithm) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        g.initialize(algorithm.equals("RSA") ? 2048 : 256);
        return g.generateKeyPair();
    }

    private Path pem(String name, Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        }
        Path f = dir.resolve(name);
        Files.writeString(f, w.toString());
        return f;
    }

    /** SEC1 as openssl writes it: the curve named inside the key (BouncyCastle's writer leaves it to PKCS#8's wrapper). */
    private Path sec1(String name, PrivateKey key) throws IOException {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
        ECPrivateKey withCurve = new ECPrivateKey(256, inner.getKey(), info.getPrivateKeyAlgorithm().getParameters());
        return pem(name, new PemObject("EC PRIVATE KEY", withCurve.getEncoded()));
    }

    /** The loaded key signs what the original public key verifies: the same key, whatever the PEM form. */
    private static void assertSameKey(KeyPair original, PrivateKey loaded) throws Exception {
        String alg = original.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        Signature s = Signature.getInstance(alg);
        s.initSign(loaded);
        s.update("calico".getBytes(StandardCharsets.UTF_8));
        byte[] sig = s.sign();
        Signature v = Signature.getInstance(alg);
        v.initVerify(original.getPublic());
        v.update("calico".getBytes(StandardCharsets.UTF_8));
        assertTrue(v.verify(sig));
    }

    @Test
    void readsPkcs1Pkcs8AndEcKeys() throws Exception {
        KeyPair rsa = pair("RSA");
        Path pkcs1 = pem("pkcs1.pem", rsa.getPrivate());
        assertTrue(Files.readString(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        assertSameKey(rsa, EtcdTls.privateKey(pkcs1));

        Path pkcs8 = pem("pkcs8.pem", new JcaPKCS8Generator(rsa.getPrivate(), null));
        assertTrue(Files.readString(pkcs8).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertSameKey(rsa, EtcdTls.privateKey(pkcs8));

        KeyPair ec = pair("EC");
        Path sec1 = sec1("ec.pem", ec.getPrivate());
        assertTrue(Files.readString(sec1).startsWith("-----BEGIN EC PRIVATE KEY-----"));
        assertSameKey(ec, EtcdTls.privateKey(sec1));
    }

    @Test
    void namesTheFileAndWhatIsWrong() throws Exception {
        Path empty = dir.resolve("empty.pem");
        Files.writeString(empty, "no key here\n");
        IOException e = assertThrows(IOException.class, () -> EtcdTls.privateKey(empty));
        assertTrue(e.getMessage().startsWith("ETCD_KEY_FILE " + empty + ": no unencrypted private key"), e.getMessage());
        IOException c = assertThrows(IOException.class, () -> EtcdTls.certificates("ETCD_CA_CERT_FILE", empty));
        assertTrue(c.getMessage().startsWith("ETCD_CA_CERT_FILE " + empty), c.getMessage());
    }

    @Test
    void loadsACertificateChainAndBuildsBothContexts() throws Exception {
        KeyPair ec = pair("EC");
        X500Name name = new X500Name("CN=etcd-ca");
        Date now = new Date();
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name, BigInteger.ONE, now,
                new Date(now.getTime() + 86_400_000L), name, ec.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(ec.getPrivate())));
        Path ca = pem("ca.pem", cert);
        Path key = sec1("key.pem", ec.getPrivate());
        assertEquals(cert, EtcdTls.certificates("ETCD_CA_CERT_FILE", ca)[0]);
        EtcdTls tls = EtcdTls.load(ca, ca, key);
        assertEquals("TLS", tls.jdkContext().getProtocol());
        io.netty.handler.ssl.SslContextBuilder b = io.netty.handler.ssl.SslContextBuilder.forClient();
        tls.configure(b);
        assertTrue(b.build().isClient());
    }
}
