package dev.modelgate.gateway.api;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One client connection's request-read deadline, at the front of its Netty pipeline so that it sees
 * every byte before the HTTP decoder does: the first byte of a request starts the clock, the request
 * read in full ({@link #requestRead()}) stops it, and a connection still sending when it runs out is
 * answered 408 (unless its answer has started already) and closed. That stops a client that trickles
 * its headers or body a byte at a time, which an idle timeout never would. All of it runs on the
 * connection's event loop.
 */
final class ReadDeadline extends ChannelDuplexHandler {

    static final String NAME = "modelgate-read-deadline";

    private static final String TIMED_OUT_BODY = "{\"error\":\"request not received in time, closing\"}";
    private static final byte[] TIMED_OUT = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\nContent-Length: "
            + TIMED_OUT_BODY.length() + "\r\nConnection: close\r\n\r\n" + TIMED_OUT_BODY).getBytes(StandardCharsets.US_ASCII);

    private final long timeoutNanos;
    private ChannelHandlerContext context;
    private ScheduledFuture<?> pending;
    private boolean answering;

    ReadDeadline(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (pending == null) {
            answering = false;
            pending = ctx.executor().schedule(this::expire, timeoutNanos, TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelRead(message);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
        answering = true;
        ctx.write(message, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    /** The request being read has arrived in full: bytes after it belong to the next one. */
    void requestRead() {
        if (context.executor().inEventLoop()) {
            cancel();
        } else {
            context.executor().execute(this::cancel);
        }
    }

    private void expire() {
        pending = null;
        if (answering) {
            context.channel().close();
        } else {
            // written below the HTTP encoder: Vert.x has not started an answer on this connection
            context.writeAndFlush(Unpooled.wrappedBuffer(TIMED_OUT)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void cancel() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }
}
