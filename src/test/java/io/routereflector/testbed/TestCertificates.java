package io.routereflector.testbed;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Date;

/**
 * A throw-away CA and the certificates an etcd TLS test needs, made with BouncyCastle: a server
 * certificate for 127.0.0.1 and client certificates whose keys come in the three PEM forms operators
 * hand the reflector (PKCS#1 from openssl genrsa, PKCS#8 from cfssl/kubeadm, SEC1 EC from openssl ecparam).
 */
public final class TestCertificates {

    public enum KeyForm { PKCS1, PKCS8, EC }

    /** A certificate and its key as PEM files. */
    public record Issued(Path cert, Path key) { }

    private final Path dir;
    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final Path caFile;
    private long serial = 2;

    private TestCertificates(Path dir, KeyPair caKeys, X509Certificate ca, Path caFile) {
        this.dir = dir;
        this.caKeys = caKeys;
        this.ca = ca;
        this.caFile = caFile;
    }

    public static TestCertificates create(Path dir) {
        try {
            KeyPair keys = pair(KeyForm.PKCS8);
            X500Name name = new X500Name("CN=routereflector test CA");
            Date now = new Date();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, new Date(now.getTime() - 60_000),
                    new Date(now.getTime() + 86_400_000L), name, keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate ca = sign(b, keys.getPrivate());
            Path caFile = dir.resolve("ca.pem");
            write(caFile, ca);
            return new TestCertificates(dir, keys, ca, caFile);
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot make the test CA", e);
        }
    }

    public Path ca() {
        return caFile;
    }

    /** A certificate for {@code 127.0.0.1}: server ({@code serverAuth}) or client ({@code clientAuth}). */
    public Issued issue(String name, boolean server, KeyForm form) {
        try {
            KeyPair keys = pair(form);
            Date now = new Date();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, BigInteger.valueOf(serial++),
                    new Date(now.getTime() - 60_000), new Date(now.getTime() + 86_400_000L), new X500Name("CN=" + name), keys.getPublic());
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
            b.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
            X509Certificate cert = sign(b, caKeys.getPrivate());
            Path certFile = dir.resolve(name + ".pem");
            Path keyFile = dir.resolve(name + "-key.pem");
            write(certFile, cert);
            writeKey(keyFile, keys.getPrivate(), form);
            return new Issued(certFile, keyFile);
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot issue " + name, e);
        }
    }

    private static KeyPair pair(KeyForm form) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance(form == KeyForm.EC ? "EC" : "RSA");
        g.initialize(form == KeyForm.EC ? 256 : 2048);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey key)
            throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
        String alg = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(key)));
    }

    private static void writeKey(Path file, PrivateKey key, KeyForm form) throws IOException {
        switch (form) {
            case PKCS1 -> write(file, key); // BouncyCastle writes an RSA key as "RSA PRIVATE KEY"
            case PKCS8 -> write(file, new JcaPKCS8Generator(key, null));
            default -> {
                // SEC1 as openssl writes it, with the curve named inside ("EC PRIVATE KEY").
                PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
                ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
                write(file, new PemObject("EC PRIVATE KEY",
                        new ECPrivateKey(256, inner.getKey(), info.getPrivateKeyAlgorithm().getParameters()).getEncoded()));
            }
        }
    }

    private static void write(Path file, Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        }
        Files.writeString(file, w.toString());
    }
}
