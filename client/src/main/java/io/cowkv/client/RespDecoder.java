package io.cowkv.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/** Netty inbound stage: bytes to {@link Reply} objects through a {@link RespParser}. */
final class RespDecoder extends ByteToMessageDecoder {
    private final RespParser parser;

    RespDecoder(RespParser parser) {
        this.parser = parser;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        Reply r;
        while ((r = parser.parse(in)) != null) out.add(r);
    }
}
