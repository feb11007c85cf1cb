package io.cfmesos.executor.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test certificates made with the JDK's keytool (nothing downloaded): a CA, a server certificate for 127.0.0.1
 * (IP SAN) and localhost, a client certificate, both signed by the CA, and a rogue client certificate signed by a
 * different CA. Written as PEM (keytool exports certificates; the keys are taken from its PKCS12 stores and written
 * as PKCS#8), the form Diego's job specs use. Made once per test JVM.
 */
public final class TestPki {
    private static final String PASS = "changeit";
    private static TestPki instance;

    public final Path dir;
    public final Path caPem;
    public final Path serverCert;
    public final Path serverKey;
    public final Path clientCert;
    public final Path clientKey;
    public final Path clientP12;
    public final Path rogueCert;
    public final Path rogueKey;

    private TestPki(Path dir) {
        this.dir = dir;
        this.caPem = dir.resolve("ca.pem");
        this.serverCert = dir.resolve("server.pem");
        this.serverKey = dir.resolve("server.key");
        this.clientCert = dir.resolve("client.pem");
        this.clientKey = dir.resolve("client.key");
        this.clientP12 = dir.resolve("client.p12");
        this.rogueCert = dir.resolve("rogue.pem");
        this.rogueKey = dir.resolve("rogue.key");
    }

    public static synchronized TestPki get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("cf-mesos-pki");
                dir.toFile().deleteOnExit();
                TestPki pki = new TestPki(dir);
                pki.generate();
                instance = pki;
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("cannot generate test certificates with keytool", e);
            }
        }
        return instance;
    }

    public TlsMaterial server() {
        return TlsMaterial.pem(caPem, serverCert, serverKey);
    }

    public TlsMaterial client() {
        return TlsMaterial.pem(caPem, clientCert, clientKey);
    }

    public TlsMaterial clientWithoutCertificate() {
        return TlsMaterial.pem(caPem, null, null);
    }

    public TlsMaterial rogueClient() {
        return TlsMaterial.pem(caPem, rogueCert, rogueKey);
    }

    private void generate() throws IOException, InterruptedException {
        // CA and the rogue's self-signed "CA" in parallel, then the leaf keys, then the signatures.
        parallel(
                List.of("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                        "-dname", "CN=cf-mesos test CA", "-ext", "bc:c", "-keystore", p("ca.p12")),
                List.of("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                        "-dname", "CN=127.0.0.1", "-keystore", p("server.p12")),
                List.of("-genkeypair", "-alias", "client", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                        "-dname", "CN=cf-mesos executor", "-keystore", p("client.p12")),
                List.of("-genkeypair", "-alias", "rogue", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                        "-dname", "CN=rogue", "-keystore", p("rogue.p12")));
        parallel(
                List.of("-exportcert", "-rfc", "-alias", "ca", "-keystore", p("ca.p12"), "-file", p("ca.pem")),
                List.of("-certreq", "-alias", "server", "-keystore", p("server.p12"), "-file", p("server.csr")),
                List.of("-certreq", "-alias", "client", "-keystore", p("client.p12"), "-file", p("client.csr")),
                List.of("-exportcert", "-rfc", "-alias", "rogue", "-keystore", p("rogue.p12"), "-file",
                        p("rogue.pem")));
        parallel(
                List.of("-gencert", "-rfc", "-alias", "ca", "-keystore", p("ca.p12"), "-infile", p("server.csr"),
                        "-outfile", p("server.pem"), "-validity", "2",
                        "-ext", "san=ip:127.0.0.1,dns:localhost", "-ext", "eku=serverAuth"),
                List.of("-gencert", "-rfc", "-alias", "ca", "-keystore", p("ca.p12"), "-infile", p("client.csr"),
                        "-outfile", p("client.pem"), "-validity", "2", "-ext", "eku=clientAuth"));
        writeKey("server.p12", "server", serverKey);
        writeKey("client.p12", "client", clientKey);
        writeKey("rogue.p12", "rogue", rogueKey);
        // The client's own PKCS12 store still holds its self-signed certificate; import the CA-signed one.
        run(List.of("-importcert", "-noprompt", "-alias", "ca", "-file", p("ca.pem"), "-keystore", p("client.p12")));
        run(List.of("-importcert", "-noprompt", "-alias", "client", "-file", p("client.pem"), "-keystore",
                p("client.p12")));
    }

    private String p(String name) {
        return dir.resolve(name).toString();
    }

    private void writeKey(String store, String alias, Path out) throws IOException {
        try (InputStream in = Files.newInputStream(dir.resolve(store))) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASS.toCharArray());
            Key key = ks.getKey(alias, PASS.toCharArray());
            String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(key.getEncoded());
            Files.writeString(out, "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n");
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    @SafeVarargs
    private void parallel(List<String>... commands) throws IOException, InterruptedException {
        List<Process> running = new ArrayList<>();
        for (List<String> c : commands) {
            running.add(start(c));
        }
        for (int i = 0; i < running.size(); i++) {
            finish(running.get(i), commands[i]);
        }
    }

    private void run(List<String> args) throws IOException, InterruptedException {
        finish(start(args), args);
    }

    private Process start(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.add("-J-XX:TieredStopAtLevel=1");
        cmd.addAll(args);
        cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", PASS, "-keypass", PASS));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static void finish(Process p, List<String> args) throws IOException, InterruptedException {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("keytool " + args + " failed: " + out);
        }
    }
}
