package dev.modelgate.gateway.api;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Answers, between Netty's HTTP decoder and Vert.x, the two malformed messages Vert.x would only close
 * the connection on: a request line with an HTTP version other than 1.0 and 1.1, and a body whose
 * chunking Netty could not decode. Both get a 400 with the API's JSON error (unless this request's
 * answer has started already), then the connection is closed: what follows on it cannot be framed.
 */
final class MalformedMessages extends ChannelDuplexHandler {

    static final String NAME = "modelgate-malformed-messages";
    /** Vert.x's own handler of the connection, which this one sits in front of. */
    static final String VERTX_HANDLER = "handler";

    private boolean answered;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof HttpRequest request && request.decoderResult().isSuccess()) {
            answered = false;
            if (request.protocolVersion() != HttpVersion.HTTP_1_0 && request.protocolVersion() != HttpVersion.HTTP_1_1) {
                refuse(ctx, message, "unsupported HTTP version " + request.protocolVersion() + ": this server speaks HTTP/1.1");
                return;
            }
        } else if (message instanceof HttpContent content && !(message instanceof HttpRequest) && content.decoderResult().isFailure()) {
            refuse(ctx, message, "malformed request body: " + content.decoderResult().cause().getMessage());
            return;
        }
        ctx.fireChannelRead(message);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
        if (message instanceof HttpResponse) {
            answered = true;
        }
        ctx.write(message, promise);
    }

    private void refuse(ChannelHandlerContext ctx, Object message, String error) {
        ReferenceCountUtil.release(message);
        if (answered) {
            ctx.close();
            return;
        }
        byte[] body = new JsonObject().put("error", error).encode().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST,
                Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        answered = true;
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
