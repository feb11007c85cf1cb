package io.cfmesos.executor.mesos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback TCP relay in front of an agent's executor endpoint, to take the agent away and bring it back on the
 * same address: {@link #cut()} closes every connection and stops listening (connections are refused, as while an
 * agent restarts); {@link #restore()} listens again on the same port.
 */
final class TcpProxy implements AutoCloseable {
    private final InetSocketAddress target;
    private final List<Socket> open = new ArrayList<>();
    private ServerSocket server;
    private final int port;

    TcpProxy(String targetHostPort) throws IOException {
        int colon = targetHostPort.lastIndexOf(':');
        this.target = new InetSocketAddress(targetHostPort.substring(0, colon),
                Integer.parseInt(targetHostPort.substring(colon + 1)));
        this.server = listen(0);
        this.port = server.getLocalPort();
        accept(server);
    }

    String hostPort() {
        return "127.0.0.1:" + port;
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    private void accept(ServerSocket s) {
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try {
                    Socket client = s.accept();
                    Socket upstream = new Socket(target.getAddress(), target.getPort());
                    synchronized (open) {
                        open.add(client);
                        open.add(upstream);
                    }
                    pump(client, upstream);
                    pump(upstream, client);
                } catch (IOException e) {
                    // closed, or the target refused: the client sees its connection close
                }
            }
        }, "tcp-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    private static void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                try {
                    to.close();
                    from.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** The agent goes away: every connection is closed and new ones are refused. */
    synchronized void cut() throws IOException {
        server.close();
        synchronized (open) {
            for (Socket s : open) {
                s.close();
            }
            open.clear();
        }
    }

    /** The agent is back on the same address. */
    synchronized void restore() throws IOException {
        server = listen(port);
        accept(server);
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}
