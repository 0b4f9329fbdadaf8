package io.cowkv.client;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A typed RESP2/RESP3 reply. Instances are immutable values that own their bytes (no Netty
 * buffers escape the decoder), so they may be kept and passed between threads freely.
 *
 * <p>The convenience accessors throw {@link ClassCastException} with a readable message when the
 * reply is of another type.
 */
public sealed interface Reply
        permits SimpleStringReply, ErrorReply, IntegerReply, BulkReply, NullReply, ArrayReply,
                MapReply, SetReply, DoubleReply, BooleanReply, BigNumberReply, VerbatimReply,
                PushReply {

    /**
     * The RESP type byte this reply was decoded from, e.g. {@code '+'} or {@code '%'}; a null is
     * always {@code '_'}, whether it came as RESP3 {@code _} or as RESP2 {@code $-1} / {@code *-1}.
     */
    char typeByte();

    /** True for {@link NullReply} ({@code _}, {@code $-1}, {@code *-1}). */
    default boolean isNull() {
        return this instanceof NullReply;
    }

    /**
     * Text of a simple string, bulk string, verbatim string (without its format), error,
     * integer, double, boolean or big number (decoded as UTF-8); {@code null} for a null reply.
     */
    default String asString() {
        if (this instanceof SimpleStringReply s) return s.value();
        if (this instanceof BulkReply b) return new String(b.bytes(), StandardCharsets.UTF_8);
        if (this instanceof VerbatimReply v) return v.text();
        if (this instanceof ErrorReply e) return e.message();
        if (this instanceof IntegerReply i) return Long.toString(i.value());
        if (this instanceof DoubleReply d) return Double.toString(d.value());
        if (this instanceof BooleanReply b) return Boolean.toString(b.value());
        if (this instanceof BigNumberReply n) return n.value().toString();
        if (this instanceof NullReply) return null;
        throw new ClassCastException("reply is not a string: " + this);
    }

    /** Bytes of a bulk or simple string; {@code null} for a null reply. */
    default byte[] asBytes() {
        if (this instanceof BulkReply b) return b.bytes();
        if (this instanceof SimpleStringReply s) return s.value().getBytes(StandardCharsets.UTF_8);
        if (this instanceof VerbatimReply v) return v.text().getBytes(StandardCharsets.UTF_8);
        if (this instanceof NullReply) return null;
        throw new ClassCastException("reply is not a string: " + this);
    }

    /** Value of an integer reply (or a bulk/simple string holding a decimal integer). */
    default long asLong() {
        if (this instanceof IntegerReply i) return i.value();
        if (this instanceof BulkReply || this instanceof SimpleStringReply) {
            return Long.parseLong(asString());
        }
        throw new ClassCastException("reply is not an integer: " + this);
    }

    /** Elements of an array, set or push reply. */
    default List<Reply> asList() {
        if (this instanceof ArrayReply a) return a.elements();
        if (this instanceof SetReply s) return s.elements();
        if (this instanceof PushReply p) return p.elements();
        throw new ClassCastException("reply is not an aggregate: " + this);
    }
}
