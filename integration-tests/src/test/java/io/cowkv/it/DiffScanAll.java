package io.cowkv.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The {@code !scan-all} directive: runs a SCAN-family command to completion on one server and
 * turns everything it returned into one canonical reply that can be compared byte for byte.
 *
 * <p>Cursors are an implementation detail (they legitimately differ between two servers), but
 * the SCAN contract is not: a full iteration returns every element present for its whole
 * duration, and nothing that never matched. So the script's command is sent with its cursor
 * argument (index 1 for SCAN, 2 for HSCAN/SSCAN/ZSCAN) replaced by each returned cursor until
 * the cursor is "0", and the union of the elements (deduplicated, sorted bytewise; for HSCAN and
 * ZSCAN a field and its value stay one unit) becomes an array reply. The first reply that is
 * not a two-element {@code [cursor, array]} (an error, say) ends the iteration and is returned
 * as it is, so error replies still compare exactly.
 */
final class DiffScanAll {
    /** A full iteration needing more calls than this is a CowKV bug (a cursor that never ends). */
    static final int MAX_CALLS = 100_000;

    private DiffScanAll() {
    }

    static byte[] run(RespConnection conn, List<byte[]> args) throws IOException {
        String name = new String(args.get(0), StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        int cursorAt = name.equals("scan") ? 1 : 2;
        int group = name.equals("hscan") || name.equals("zscan") ? 2 : 1;
        if (args.size() <= cursorAt) {
            conn.send(args);
            return conn.readReply(); // the arity error
        }
        List<byte[]> call = new ArrayList<>(args);
        TreeSet<byte[]> all = new TreeSet<>(Arrays::compare);
        for (int calls = 0; ; calls++) {
            if (calls == MAX_CALLS) {
                throw new IOException("SCAN did not finish after " + MAX_CALLS + " calls");
            }
            conn.send(call);
            byte[] reply = conn.readReply();
            List<byte[]> top = RespReader.elements(reply);
            if (top == null || top.size() != 3 || top.get(1)[0] != '$') {
                return reply;
            }
            List<byte[]> items = RespReader.elements(top.get(2));
            if (items == null) {
                return reply;
            }
            for (int i = 1; i + group - 1 < items.size(); i += group) {
                ByteArrayOutputStream unit = new ByteArrayOutputStream();
                for (int j = 0; j < group; j++) {
                    unit.write(items.get(i + j));
                }
                all.add(unit.toByteArray());
            }
            byte[] cursor = bulkContent(top.get(1));
            if (cursor.length == 1 && cursor[0] == '0') {
                break;
            }
            call.set(cursorAt, cursor);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(("*" + (long) all.size() * group + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] unit : all) {
            out.write(unit);
        }
        return out.toByteArray();
    }

    /** The payload of a raw bulk string reply ({@code $n\r\n...\r\n}). */
    static byte[] bulkContent(byte[] bulk) {
        int crlf = 0;
        while (bulk[crlf] != '\r') {
            crlf++;
        }
        return Arrays.copyOfRange(bulk, crlf + 2, bulk.length - 2);
    }
}
