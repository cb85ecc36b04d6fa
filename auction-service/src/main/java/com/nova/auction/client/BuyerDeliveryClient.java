package com.nova.auction.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.nova.auction.config.AuctionConfig;
import com.nova.kit.net.PublicAddresses;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * Posts a lead to a buyer's delivery endpoint and answers the HTTP status. The buyer's URL is
 * someone else's input, so: the host is resolved here and every address it has must be public
 * (unless {@code auction.delivery.allow-private-network}), and the connection goes to the address
 * checked, with the URL's host kept for the Host header and TLS (SNI, certificate): DNS answering
 * differently between the check and the connect cannot redirect the post. The whole exchange
 * (resolve, connect, send, answer, body) has one deadline, and at most
 * {@code auction.delivery.max-response-bytes} of the answer's body are read.
 */
@ApplicationScoped
public class BuyerDeliveryClient {

    /** The delivery cannot succeed as configured (a non-public address, a malformed URL): do not retry. */
    public static final class RefusedDestinationException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public RefusedDestinationException(String message) {
            super(message, null, false, false);
        }
    }

    /** The buyer did not finish answering within the deadline. */
    public static final class DeadlineExceededException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DeadlineExceededException(long millis) {
            super("no complete answer within " + millis + " ms", null, false, false);
        }
    }

    /** Where a delivery URL points: its host as written (Host header, SNI), port, TLS and request target. */
    public record Destination(String host, int port, boolean tls, String target) {

        /** The URL's parts, or a refusal when it is not an absolute http(s) URL with a host. */
        public static Destination of(String url) {
            URI uri;
            try {
                uri = new URI(url == null ? "" : url.trim());
            } catch (URISyntaxException e) {
                throw new RefusedDestinationException("delivery URL is not a valid URL");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))
                    || uri.getRawUserInfo() != null) {
                throw new RefusedDestinationException("delivery URL is not an absolute http(s) URL");
            }
            boolean tls = scheme.equals("https");
            String host = uri.getHost();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
            return new Destination(host, uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80, tls, target);
        }
    }

    /** A buyer's answer: its status and the body, cut off at the limit the call gave. */
    public record Answer(int status, Buffer body) {
    }

    private final Vertx vertx;
    private final HttpClient http;
    /**
     * Live bids have connections of their own: a ping asks every live bidder at once and must not
     * queue behind deliveries (or behind the 50 a delivery endpoint may have open).
     */
    private final HttpClient bids;
    private final long deadlineMillis;
    private final long maxResponseBytes;
    private final boolean allowPrivateNetwork;

    public BuyerDeliveryClient(io.vertx.mutiny.core.Vertx vertx, AuctionConfig config) {
        this.vertx = vertx.getDelegate();
        this.deadlineMillis = config.delivery().requestTimeout().toMillis();
        this.maxResponseBytes = config.delivery().maxResponseBytes();
        this.allowPrivateNetwork = config.delivery().allowPrivateNetwork();
        this.http = this.vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) deadlineMillis)
                .setMaxPoolSize(50)
                .setKeepAlive(true));
        this.bids = this.vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.pings().deadline().toMillis())
                .setMaxPoolSize(config.pings().maxConnectionsPerEndpoint())
                .setKeepAlive(true));
    }

    @PreDestroy
    void close() {
        http.close();
        bids.close();
    }

    /**
     * POSTs {@code body} to {@code url}; the item is the status. Fails with
     * {@link RefusedDestinationException} (final), {@link DeadlineExceededException} or the
     * connection's failure (both worth retrying).
     */
    public Uni<Integer> post(String url, Map<String, String> headers, String body) {
        return exchange(url, headers, body, deadlineMillis, maxResponseBytes).map(Answer::status);
    }

    /** Asks a live bidder for its bid: {@link #exchange}, on the live bids' own connections. */
    public Uni<Answer> bid(String url, Map<String, String> headers, String body, long timeoutMillis, long maxBodyBytes) {
        return exchange(bids, url, headers, body, timeoutMillis, maxBodyBytes);
    }

    /**
     * POSTs {@code body} to {@code url} under the same address policy, with its own deadline, and
     * answers the status with at most {@code maxBodyBytes} of the body (a longer body is cut off
     * there, and the answer is what arrived). Fails as {@link #post} does.
     */
    public Uni<Answer> exchange(String url, Map<String, String> headers, String body, long timeoutMillis, long maxBodyBytes) {
        return exchange(http, url, headers, body, timeoutMillis, maxBodyBytes);
    }

    private Uni<Answer> exchange(HttpClient client, String url, Map<String, String> headers, String body, long timeoutMillis,
            long maxBodyBytes) {
        Destination destination;
        try {
            destination = Destination.of(url);
        } catch (RefusedDestinationException e) {
            return Uni.createFrom().failure(e);
        }
        return Uni.createFrom().emitter(emitter -> {
            Exchange exchange = new Exchange(emitter, maxBodyBytes);
            long timer = vertx.setTimer(timeoutMillis, id -> exchange.fail(new DeadlineExceededException(timeoutMillis)));
            emitter.onTermination(() -> {
                vertx.cancelTimer(timer);
                exchange.abort();
            });
            connectAddress(destination.host())
                    .compose(address -> exchange.done.get() ? Future.failedFuture("abandoned")
                            : client.request(options(destination, address, headers)))
                    .onSuccess(request -> {
                        exchange.request(request);
                        // Handlers are set in the callback the response arrives in, before any body chunk.
                        request.send(Buffer.buffer(body)).onSuccess(exchange::read).onFailure(exchange::fail);
                    })
                    .onFailure(exchange::fail);
        });
    }

    /** The address to connect to: resolved off the event loop, then held to the policy. */
    Future<InetAddress> connectAddress(String host) {
        InetAddress literal = PublicAddresses.literal(host);
        if (literal != null) {
            try {
                return Future.succeededFuture(checked(host, new InetAddress[] { literal }, allowPrivateNetwork));
            } catch (RuntimeException e) {
                return Future.failedFuture(e);
            }
        }
        return vertx.executeBlocking(() -> {
            InetAddress[] resolved;
            try {
                resolved = InetAddress.getAllByName(host);
            } catch (UnknownHostException e) {
                // DNS may be failing for a moment: an ordinary, retried failure.
                throw new IllegalStateException("delivery host does not resolve");
            }
            return checked(host, resolved, allowPrivateNetwork);
        }, false);
    }

    /**
     * The address a delivery connects to: the first one resolved, once every one of them is public
     * (one private answer among public ones is how a rebinding attack would start).
     */
    public static InetAddress checked(String host, InetAddress[] resolved, boolean allowPrivateNetwork) {
        if (resolved == null || resolved.length == 0) {
            throw new IllegalStateException("delivery host does not resolve");
        }
        if (!allowPrivateNetwork && !PublicAddresses.allPublic(resolved)) {
            throw new RefusedDestinationException("delivery address is not public: " + host + " resolves to a "
                    + "loopback, private, link-local or otherwise non-public address");
        }
        return resolved[0];
    }

    /** Connects to {@code address}; the Host header and TLS (SNI, certificate check) keep the URL's host. */
    public static RequestOptions options(Destination destination, InetAddress address, Map<String, String> headers) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, destination.port())))
                .setHost(destination.host())
                .setPort(destination.port())
                .setSsl(destination.tls())
                .setURI(destination.target())
                .setFollowRedirects(false);
        headers.forEach(options::putHeader);
        return options;
    }

    /** One POST in flight: ends once, with the status, a failure, or the deadline. */
    private final class Exchange {
        private final UniEmitter<? super Answer> emitter;
        private final long maxBodyBytes;
        final AtomicBoolean done = new AtomicBoolean();
        private volatile HttpClientRequest request;
        private volatile boolean responseEnded;
        private final Buffer body = Buffer.buffer();

        Exchange(UniEmitter<? super Answer> emitter, long maxBodyBytes) {
            this.emitter = emitter;
            this.maxBodyBytes = maxBodyBytes;
        }

        void request(HttpClientRequest request) {
            this.request = request;
            if (done.get()) {
                abort(); // the deadline passed while connecting
            }
        }

        void read(HttpClientResponse response) {
            int status = response.statusCode();
            response.exceptionHandler(this::fail);
            response.handler(chunk -> {
                if (done.get()) {
                    return;
                }
                long room = maxBodyBytes - body.length();
                if (chunk.length() > room) {
                    // Enough: what arrived up to the limit is the answer; the rest is neither read nor kept.
                    body.appendBuffer(chunk, 0, (int) Math.max(0, room));
                    finish(status);
                    abort();
                } else {
                    body.appendBuffer(chunk);
                }
            });
            response.endHandler(v -> {
                responseEnded = true;
                finish(status);
            });
        }

        void finish(int status) {
            if (done.compareAndSet(false, true)) {
                emitter.complete(new Answer(status, body));
            }
        }

        void fail(Throwable e) {
            if (done.compareAndSet(false, true)) {
                emitter.fail(e);
                abort();
            }
        }

        /** Closes what is still open (for HTTP/1.1 the connection, which is not reused). */
        void abort() {
            HttpClientRequest r = request;
            if (r != null && !responseEnded) {
                r.reset();
            }
        }
    }
}
