package io.cfmesos.diego.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Test certificates made with the JDK's keytool (nothing downloaded), once per test JVM: a CA; a server
 * certificate for {@code IP:127.0.0.1}/{@code DNS:localhost} and a client certificate, both signed by the CA; a
 * self-signed "rogue" client the CA never signed; a self-signed EC key pair; and a self-signed certificate that
 * has expired. Keys and certificates exist as PEM (the form Diego's job specs use; the server key also as PKCS#1)
 * and PKCS12. Shared with the scheduler's and the executor's tests through diego-wire's test-jar.
 */
public final class TestPki {
    public static final String PASSWORD = "test-password";

    public final Path dir;
    public final Path caPem;
    public final Path caP12;
    public final Path serverCertPem;
    public final Path serverKeyPem;
    public final Path serverKeyPkcs1Pem;
    public final Path serverP12;
    public final Path clientCertPem;
    public final Path clientKeyPem;
    public final Path clientP12;
    public final Path rogueCertPem;
    public final Path rogueKeyPem;
    public final Path ecCertPem;
    public final Path ecP12;
    public final Path expiredCertPem;
    public final Path expiredKeyPem;

    private static volatile TestPki instance;

    private TestPki(Path dir) {
        this.dir = dir;
        caPem = dir.resolve("ca.pem");
        caP12 = dir.resolve("ca.p12");
        serverCertPem = dir.resolve("server.pem");
        serverKeyPem = dir.resolve("server.key");
        serverKeyPkcs1Pem = dir.resolve("server-rsa.key");
        serverP12 = dir.resolve("server.p12");
        clientCertPem = dir.resolve("client.pem");
        clientKeyPem = dir.resolve("client.key");
        clientP12 = dir.resolve("client.p12");
        rogueCertPem = dir.resolve("rogue.pem");
        rogueKeyPem = dir.resolve("rogue.key");
        ecCertPem = dir.resolve("ec.pem");
        ecP12 = dir.resolve("ec.p12");
        expiredCertPem = dir.resolve("expired.pem");
        expiredKeyPem = dir.resolve("expired.key");
    }

    public static TestPki get() {
        TestPki p = instance;
        if (p == null) {
            synchronized (TestPki.class) {
                p = instance;
                if (p == null) {
                    p = create();
                    instance = p;
                }
            }
        }
        return p;
    }

    /** Server side of the test PKI: CA, server certificate and key (PEM). */
    public TlsMaterial server() {
        return TlsMaterial.pem(caPem, serverCertPem, serverKeyPem);
    }

    /** Client side: CA, client certificate and key (PEM). */
    public TlsMaterial client() {
        return TlsMaterial.pem(caPem, clientCertPem, clientKeyPem);
    }

    private static TestPki create() {
        try {
            Path dir = Files.createTempDirectory("cf-mesos-pki");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            TestPki pki = new TestPki(dir);
            pki.generate();
            return pki;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void generate() throws IOException {
        // Independent chains run side by side (each keytool is a JVM start); the self-signed ones need no CA.
        CompletableFuture<Void> others = CompletableFuture.runAsync(() -> {
            Path rogueP12 = dir.resolve("rogue.p12");
            keytool("-genkeypair", "-alias", "rogue", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=rogue",
                    "-validity", "3", "-keystore", rogueP12.toString());
            keytool("-exportcert", "-rfc", "-alias", "rogue", "-keystore", rogueP12.toString(),
                    "-file", rogueCertPem.toString());
            writePkcs8(rogueP12, "rogue", rogueKeyPem);
            keytool("-genkeypair", "-alias", "ec", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=ec",
                    "-ext", "san=ip:127.0.0.1", "-validity", "3", "-keystore", ecP12.toString());
            keytool("-exportcert", "-rfc", "-alias", "ec", "-keystore", ecP12.toString(),
                    "-file", ecCertPem.toString());
        });
        CompletableFuture<Void> expired = CompletableFuture.runAsync(() -> {
            // valid for one day, ten days ago
            Path expiredP12 = dir.resolve("expired.p12");
            keytool("-genkeypair", "-alias", "expired", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=expired",
                    "-startdate", "-10d", "-validity", "1", "-keystore", expiredP12.toString());
            keytool("-exportcert", "-rfc", "-alias", "expired", "-keystore", expiredP12.toString(),
                    "-file", expiredCertPem.toString());
            writePkcs8(expiredP12, "expired", expiredKeyPem);
        });
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=cf-mesos test CA",
                "-ext", "bc:c", "-validity", "3", "-keystore", caP12.toString());
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", caP12.toString(), "-file", caPem.toString());
        CompletableFuture<Void> server = CompletableFuture.runAsync(() -> leaf("server", "CN=127.0.0.1",
                "san=ip:127.0.0.1,dns:localhost", "eku=serverAuth", serverP12, serverCertPem));
        CompletableFuture<Void> client = CompletableFuture.runAsync(() -> leaf("client", "CN=cf-mesos client",
                null, "eku=clientAuth", clientP12, clientCertPem));
        CompletableFuture.allOf(server, client, others, expired).join();
        writePkcs8(serverP12, "server", serverKeyPem);
        writePkcs8(clientP12, "client", clientKeyPem);
        writePem(serverKeyPkcs1Pem, "RSA PRIVATE KEY", pkcs8ToPkcs1(loadKey(serverP12, "server").getEncoded()));
    }

    private void leaf(String alias, String dname, String san, String eku, Path p12, Path certPem) {
        Path csr = dir.resolve(alias + ".csr");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-dname", dname,
                "-validity", "3", "-keystore", p12.toString());
        keytool("-certreq", "-alias", alias, "-keystore", p12.toString(), "-file", csr.toString());
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore",
                caP12.toString(), "-infile", csr.toString(), "-outfile", certPem.toString(), "-validity", "2",
                "-ext", eku));
        if (san != null) {
            gencert.addAll(List.of("-ext", san));
        }
        keytool(gencert.toArray(String[]::new));
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-keystore", p12.toString());
        keytool("-importcert", "-noprompt", "-alias", alias, "-file", certPem.toString(),
                "-keystore", p12.toString());
    }

    /** The inner RSAPrivateKey of a PKCS#8 PrivateKeyInfo (its third element, an OCTET STRING). */
    static byte[] pkcs8ToPkcs1(byte[] pkcs8) {
        return Der.parse(pkcs8).children().get(2).value();
    }

    static PrivateKey loadKey(Path p12, String alias) {
        try (InputStream in = Files.newInputStream(p12)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            return (PrivateKey) ks.getKey(alias, PASSWORD.toCharArray());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + p12, e);
        }
    }

    private static void writePkcs8(Path p12, String alias, Path out) {
        writePem(out, "PRIVATE KEY", loadKey(p12, alias).getEncoded());
    }

    static void writePem(Path out, String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        try {
            Files.writeString(out, "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void keytool(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        // keytool is a short JVM run: skip the optimising compiler
        cmd.add("-J-XX:TieredStopAtLevel=1");
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        if (args[0].equals("-genkeypair")) {
            cmd.addAll(List.of("-keypass", PASSWORD));
        }
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("keytool failed: " + cmd + "\n" + new String(output,
                        StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // best effort at JVM exit
        }
    }
}
