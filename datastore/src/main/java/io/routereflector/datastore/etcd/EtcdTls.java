package io.routereflector.datastore.etcd;

import io.netty.handler.ssl.SslContextBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * TLS material for etcd from the old image's PEM files. Calico's installs hand out keys in whatever form
 * their tooling wrote: PKCS#1 ({@code RSA PRIVATE KEY}, openssl genrsa), PKCS#8 ({@code PRIVATE KEY},
 * cfssl/kubeadm) or SEC1 ({@code EC PRIVATE KEY}). Netty reads only PKCS#8 PEM, so BouncyCastle turns
 * every form into a {@link PrivateKey} first; both the gRPC (v3) and the HTTP (v2) clients are then
 * configured from the same objects.
 */
public final class EtcdTls {

    private final X509Certificate[] trusted;
    private final PrivateKey key;
    private final X509Certificate[] chain;

    private EtcdTls(X509Certificate[] trusted, PrivateKey key, X509Certificate[] chain) {
        this.trusted = trusted;
        this.key = key;
        this.chain = chain;
    }

    /**
     * @param ca   PEM CA bundle, null = the JVM's default trust store
     * @param cert PEM client certificate chain, null = no client certificate (then {@code key} is null too)
     * @throws IOException naming the file and what is wrong with it
     */
    public static EtcdTls load(Path ca, Path cert, Path key) throws IOException {
        X509Certificate[] trusted = ca == null ? null : certificates("ETCD_CA_CERT_FILE", ca);
        X509Certificate[] chain = cert == null ? null : certificates("ETCD_CERT_FILE", cert);
        PrivateKey k = key == null ? null : privateKey(key);
        return new EtcdTls(trusted, k, chain);
    }

    /** For jetcd's (Netty's) client context. */
    public void configure(SslContextBuilder builder) {
        if (trusted != null) {
            builder.trustManager(trusted);
        }
        if (key != null) {
            builder.keyManager(key, chain);
        }
    }

    /** For {@code java.net.http.HttpClient} (the v2 API). */
    public SSLContext jdkContext() throws IOException {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (trusted != null) {
                KeyStore ts = KeyStore.getInstance("PKCS12");
                ts.load(null, null);
                for (int i = 0; i < trusted.length; i++) {
                    ts.setCertificateEntry("ca" + i, trusted[i]);
                }
                tmf.init(ts);
            } else {
                tmf.init((KeyStore) null);
            }
            KeyManagerFactory kmf = null;
            if (key != null) {
                char[] none = new char[0];
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("client", key, none, chain);
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, none);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build the TLS context for etcd: " + e.getMessage(), e);
        }
    }

    static X509Certificate[] certificates(String what, Path file) throws IOException {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(file)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (CertificateException e) {
            throw new IOException(what + " " + file + ": not a PEM certificate: " + e.getMessage(), e);
        }
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate c : certs) {
            out.add((X509Certificate) c);
        }
        if (out.isEmpty()) {
            throw new IOException(what + " " + file + ": no certificate in it (expected -----BEGIN CERTIFICATE-----)");
        }
        return out.toArray(new X509Certificate[0]);
    }

    /** The first private key in the file, in any of the three forms. */
    static PrivateKey privateKey(Path file) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader r = Files.newBufferedReader(file); PEMParser parser = new PEMParser(r)) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof PEMKeyPair pair) {
                    // PKCS#1 RSA or SEC1 EC: the pair's private half.
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                // EC PARAMETERS blocks (openssl ecparam -genkey) precede the key: skip them.
            }
        } catch (PEMException e) {
            throw new IOException("ETCD_KEY_FILE " + file + ": not a readable PEM private key: " + e.getMessage(), e);
        }
        throw new IOException("ETCD_KEY_FILE " + file + ": no unencrypted private key in it (expected RSA PRIVATE KEY,"
                + " PRIVATE KEY or EC PRIVATE KEY)");
    }
}
