package com.nova.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in the drill's JVM between one service instance and PostgreSQL or Redis (or, with
 * several upstreams, a round-robin balancer in front of a service's instances, as a Kubernetes
 * Service is). It can cut the instance off in two ways:
 * <ul>
 * <li>{@link #partition()}: a network partition. Nothing is forwarded either way, and new connections
 * are accepted but go nowhere, until {@link #heal()}; then the held bytes flow on, as TCP
 * retransmission would deliver them once the network is back.</li>
 * <li>{@link #reset()}: every connection is reset (RST) and new ones are refused, until {@link #heal()}.</li>
 * <li>{@link #dropConnections()}: every connection is reset, new ones go through: the server is fine,
 * the connections are not.</li>
 * </ul>
 */
final class TcpProxy implements AutoCloseable {

    private final String name;
    private final List<InetSocketAddress> upstreams;
    private final ServerSocket server;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger next = new AtomicInteger();
    private final Object gate = new Object();
    private volatile boolean partitioned;
    private volatile boolean refusing;
    private volatile boolean closed;

    TcpProxy(String name, List<InetSocketAddress> upstreams) throws IOException {
        this.name = name;
        this.upstreams = List.copyOf(upstreams);
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "proxy-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static TcpProxy to(String name, int port) throws IOException {
        return new TcpProxy(name, List.of(new InetSocketAddress("127.0.0.1", port)));
    }

    int port() {
        return server.getLocalPort();
    }

    String name() {
        return name;
    }

    void partition() {
        partitioned = true;
    }

    void reset() {
        refusing = true;
        for (Link link : links) {
            link.abort();
        }
    }

    /** Resets every current connection (RST) but accepts new ones at once: a pooler failover, pg_terminate_backend. */
    void dropConnections() {
        for (Link link : links) {
            link.abort();
        }
    }

    void heal() {
        refusing = false;
        synchronized (gate) {
            partitioned = false;
            gate.notifyAll();
        }
    }

    private void awaitOpen() throws InterruptedException {
        if (!partitioned) {
            return;
        }
        synchronized (gate) {
            while (partitioned && !closed) {
                gate.wait(500);
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            if (refusing) {
                abort(client);
                continue;
            }
            Thread t = new Thread(() -> open(client), "proxy-" + name + "-open");
            t.setDaemon(true);
            t.start();
        }
    }

    private void open(Socket client) {
        try {
            awaitOpen();
            if (refusing || closed) {
                abort(client);
                return;
            }
            Socket upstream = connectUpstream();
            if (upstream == null) {
                abort(client);
                return;
            }
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            Link link = new Link(client, upstream);
            links.add(link);
            link.start();
        } catch (Exception e) {
            abort(client);
        }
    }

    /** The next upstream that accepts a connection, round robin; null when none does. */
    private Socket connectUpstream() {
        int start = Math.floorMod(next.getAndIncrement(), upstreams.size());
        for (int i = 0; i < upstreams.size(); i++) {
            InetSocketAddress target = upstreams.get((start + i) % upstreams.size());
            Socket s = new Socket();
            try {
                s.connect(target, 1000);
                return s;
            } catch (IOException e) {
                closeQuietly(s);
            }
        }
        return null;
    }

    /** One proxied connection: a pump thread each way. */
    private final class Link {
        private final Socket client;
        private final Socket upstream;
        private final AtomicInteger finished = new AtomicInteger();

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() {
            pump(client, upstream, "up");
            pump(upstream, client, "down");
        }

        private void pump(Socket from, Socket to, String direction) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[16 * 1024];
                try {
                    InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream();
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        awaitOpen();
                        if (refusing) {
                            break;
                        }
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                    // An orderly close on one side is passed on as one; the link ends when both sides closed.
                    to.shutdownOutput();
                    if (finished.incrementAndGet() == 2) {
                        close();
                    }
                } catch (Exception e) {
                    abort();
                }
            }, "proxy-" + name + "-" + direction);
            t.setDaemon(true);
            t.start();
        }

        void abort() {
            TcpProxy.abort(client);
            TcpProxy.abort(upstream);
            links.remove(this);
        }

        void close() {
            closeQuietly(client);
            closeQuietly(upstream);
            links.remove(this);
        }
    }

    /** Closes with RST (linger 0), as a dropped connection looks to its peer. */
    private static void abort(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // already closed
        }
        closeQuietly(s);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        closed = true;
        heal();
        try {
            server.close();
        } catch (IOException ignored) {
            // nothing to do
        }
        for (Link link : links) {
            link.abort();
        }
    }
}
