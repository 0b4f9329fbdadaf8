package io.cowkv.server.command.connection;

import io.cowkv.server.command.CommandRegistry;
import io.cowkv.server.command.CommandSpec;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.command.Session;
import io.cowkv.server.protocol.CommandArgs;
import io.cowkv.server.protocol.Errors;
import io.cowkv.server.protocol.Reply;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.cowkv.server.command.CommandSpec.command;

/** CLIENT and its subcommands, answered as Redis 7 does. */
public final class ClientCommand {
    static final String BAD_NAME = "ERR Client names cannot contain spaces, newlines or special characters.";
    private final ServerContext server;
    private final long[] num = new long[1];

    public ClientCommand(ServerContext server) {
        this.server = server;
    }

    public void register(CommandRegistry r) {
        String[] plain = {"noscript", "loading", "stale"};
        String[] admin = {"admin", "noscript", "loading", "stale"};
        r.register(command("client", -2)
                .sub(sub("id", 2, plain, this::id))
                .sub(sub("setname", 3, plain, this::setname))
                .sub(sub("getname", 2, plain, this::getname))
                .sub(sub("list", -2, admin, this::list))
                .sub(sub("info", 2, plain, this::info))
                .sub(sub("setinfo", 4, plain, this::setinfo))
                .sub(sub("kill", -3, admin, this::kill))
                .sub(sub("no-evict", 3, admin, this::noEvict))
                .sub(sub("no-touch", 3, plain, this::noTouch))
                .sub(sub("reply", 3, plain, this::reply))
                .sub(sub("help", 2, new String[]{"loading", "stale"}, this::help))
                .build());
    }

    private static CommandSpec sub(String name, int arity, String[] flags, io.cowkv.server.command.CommandHandler h) {
        return command(name, arity).flags(flags).handler(h).build();
    }

    /** Redis allows names of printable ASCII without spaces ('!' to '~'). */
    static boolean validName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '!' || c > '~') {
                return false;
            }
        }
        return true;
    }

    private void id(Session s, CommandArgs a) {
        s.reply().integer(s.id);
    }

    private void setname(Session s, CommandArgs a) {
        String name = a.string(2);
        if (!validName(name)) {
            s.reply().error(BAD_NAME);
            return;
        }
        s.name = name;
        s.reply().ok();
    }

    private void getname(Session s, CommandArgs a) {
        if (s.name.isEmpty()) {
            s.reply().nullBulk();
        } else {
            s.reply().bulk(s.name);
        }
    }

    private void setinfo(Session s, CommandArgs a) {
        String value = a.string(3);
        if (a.is(2, "lib-name")) {
            if (!validName(value)) {
                s.reply().error("ERR lib-name cannot contain spaces, newlines or special characters.");
                return;
            }
            s.libName = value;
        } else if (a.is(2, "lib-ver")) {
            if (!validName(value)) {
                s.reply().error("ERR lib-ver cannot contain spaces, newlines or special characters.");
                return;
            }
            s.libVer = value;
        } else {
            s.reply().error("ERR Unrecognized option '" + a.string(2) + "'");
            return;
        }
        s.reply().ok();
    }

    private void list(Session s, CommandArgs a) {
        List<Session> selected = new ArrayList<>(server.clients.all());
        int i = 2;
        while (i < a.count()) {
            if (a.is(i, "type") && i + 1 < a.count()) {
                String t = a.lower(i + 1);
                if (!Set.of("normal", "master", "replica", "slave", "pubsub").contains(t)) {
                    s.reply().error("ERR Unknown client type '" + a.string(i + 1) + "'");
                    return;
                }
                if (!t.equals("normal")) {
                    selected.clear();
                }
                i += 2;
            } else if (a.is(i, "id") && i + 1 < a.count()) {
                Set<Long> ids = new HashSet<>();
                for (i = i + 1; i < a.count(); i++) {
                    if (!a.parseLong(i, num)) { // Redis 7.0 accepts any integer here (none matches <= 0)
                        s.reply().error("ERR Invalid client ID");
                        return;
                    }
                    ids.add(num[0]);
                }
                selected.removeIf(c -> !ids.contains(c.id));
            } else {
                s.reply().error(Errors.SYNTAX);
                return;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (Session c : selected) {
            describe(c, c == s ? "client|list" : null, sb);
            sb.append('\n');
        }
        s.reply().verbatim(sb.toString());
    }

    private void info(Session s, CommandArgs a) {
        StringBuilder sb = new StringBuilder();
        describe(s, "client|info", sb);
        sb.append('\n');
        s.reply().verbatim(sb.toString());
    }

    /** One CLIENT LIST line, with Redis 7.2's fields in Redis's order. */
    private void describe(Session c, String currentCmd, StringBuilder sb) {
        long now = System.currentTimeMillis();
        String flags = (c.closeAfterReply ? "c" : "") + (c.noEvict ? "e" : "") + (c.noTouch ? "T" : "");
        sb.append("id=").append(c.id)
                .append(" addr=").append(c.addr)
                .append(" laddr=").append(c.laddr)
                .append(" fd=").append(8 + c.id)
                .append(" name=").append(c.name)
                .append(" age=").append((now - c.createdMillis) / 1000)
                .append(" idle=").append((now - c.lastInteractionMillis) / 1000)
                .append(" flags=").append(flags.isEmpty() ? "N" : flags)
                .append(" db=").append(c.db)
                .append(" sub=0 psub=0 ssub=0 multi=-1")
                .append(" qbuf=").append(c.queryBufferBytes)
                .append(" qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0")
                .append(" obl=0 oll=0 omem=").append(c.outputBufferBytes)
                .append(" tot-mem=").append(1024 + c.queryBufferBytes + c.outputBufferBytes)
                .append(" events=r cmd=").append(currentCmd != null ? currentCmd : c.lastCommand)
                .append(" user=default redir=-1 resp=").append(c.reply().protocol())
                .append(" lib-name=").append(c.libName)
                .append(" lib-ver=").append(c.libVer);
    }

    private void kill(Session s, CommandArgs a) {
        if (a.count() == 3) {
            // Old form: CLIENT KILL addr:port
            String addr = a.string(2);
            for (Session c : new ArrayList<>(server.clients.all())) {
                if (c.addr.equals(addr)) {
                    closeClient(s, c);
                    s.reply().ok();
                    return;
                }
            }
            s.reply().error("ERR No such client");
            return;
        }
        Long id = null;
        String addr = null;
        String laddr = null;
        String user = null;
        String type = null;
        boolean skipMe = true;
        for (int i = 2; i < a.count(); i += 2) {
            if (i + 1 >= a.count()) {
                s.reply().error(Errors.SYNTAX);
                return;
            }
            if (a.is(i, "id")) {
                if (!a.parseLong(i + 1, num) || num[0] <= 0) {
                    s.reply().error("ERR client-id should be greater than 0");
                    return;
                }
                id = num[0];
            } else if (a.is(i, "addr")) {
                addr = a.string(i + 1);
            } else if (a.is(i, "laddr")) {
                laddr = a.string(i + 1);
            } else if (a.is(i, "user")) {
                user = a.string(i + 1);
            } else if (a.is(i, "type")) {
                type = a.lower(i + 1);
                if (!Set.of("normal", "master", "replica", "slave", "pubsub").contains(type)) {
                    s.reply().error("ERR Unknown client type '" + a.string(i + 1) + "'");
                    return;
                }
            } else if (a.is(i, "skipme")) {
                if (a.is(i + 1, "yes")) {
                    skipMe = true;
                } else if (a.is(i + 1, "no")) {
                    skipMe = false;
                } else {
                    s.reply().error(Errors.SYNTAX);
                    return;
                }
            } else {
                s.reply().error(Errors.SYNTAX);
                return;
            }
        }
        if (user != null && !user.equals("default")) {
            s.reply().error("ERR No such user '" + user + "'");
            return;
        }
        long killed = 0;
        for (Session c : new ArrayList<>(server.clients.all())) {
            if ((id != null && c.id != id) || (addr != null && !c.addr.equals(addr))
                    || (laddr != null && !c.laddr.equals(laddr))
                    || (type != null && !type.equals("normal"))
                    || (skipMe && c == s)) {
                continue;
            }
            closeClient(s, c);
            killed++;
        }
        s.reply().integer(killed);
    }

    private static void closeClient(Session me, Session c) {
        if (c == me) {
            me.closeAfterReply = true;
        } else {
            c.kill();
        }
    }

    private void noEvict(Session s, CommandArgs a) {
        Boolean on = onOff(s, a);
        if (on != null) {
            s.noEvict = on;
            s.reply().ok();
        }
    }

    private void noTouch(Session s, CommandArgs a) {
        Boolean on = onOff(s, a);
        if (on != null) {
            s.noTouch = on;
            s.reply().ok();
        }
    }

    private static Boolean onOff(Session s, CommandArgs a) {
        if (a.is(2, "on")) {
            return Boolean.TRUE;
        }
        if (a.is(2, "off")) {
            return Boolean.FALSE;
        }
        s.reply().error(Errors.SYNTAX);
        return null;
    }

    private void reply(Session s, CommandArgs a) {
        if (a.is(2, "on")) {
            s.replyMode = Session.ReplyMode.ON;
            s.skipNext = false;
            s.reply().ok();
        } else if (a.is(2, "off")) {
            s.replyMode = Session.ReplyMode.OFF;
        } else if (a.is(2, "skip")) {
            if (s.replyMode == Session.ReplyMode.ON) {
                s.replyMode = Session.ReplyMode.SKIP;
            }
        } else {
            s.reply().error(Errors.SYNTAX);
        }
    }

    private void help(Session s, CommandArgs a) {
        String[] lines = {
            "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CACHING (YES|NO)",
            "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
            "GETREDIR",
            "    Return the client ID we are redirecting to when tracking is enabled.",
            "GETNAME",
            "    Return the name of the current connection.",
            "ID",
            "    Return the ID of the current connection.",
            "INFO",
            "    Return information about the current client connection.",
            "KILL <ip:port>",
            "    Kill connection made from <ip:port>.",
            "KILL <option> <value> [<option> <value> [...]]",
            "    Kill connections. Options are:",
            "    * ADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made from the specified address",
            "    * LADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made to specified local address",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Kill connections by type.",
            "    * USER <username>",
            "      Kill connections authenticated by <username>.",
            "    * SKIPME (YES|NO)",
            "      Skip killing current connection (default: yes).",
            "    * ID <client-id>",
            "      Kill connections by client id.",
            "LIST [options ...]",
            "    Return information about client connections. Options:",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Return clients of specified type.",
            "UNPAUSE",
            "    Stop the current client pause, resuming traffic.",
            "PAUSE <timeout> [WRITE|ALL]",
            "    Suspend all, or just write, clients for <timeout> milliseconds.",
            "REPLY (ON|OFF|SKIP)",
            "    Control the replies sent to the current connection.",
            "SETNAME <name>",
            "    Assign the name <name> to the current connection.",
            "SETINFO <option> <value>",
            "    Set client meta attr. Options are:",
            "    * LIB-NAME: the client lib name.",
            "    * LIB-VER: the client lib version.",
            "UNBLOCK <clientid> [TIMEOUT|ERROR]",
            "    Unblock the specified blocked client.",
            "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
            "         [OPTIN] [OPTOUT] [NOLOOP]",
            "    Control server assisted client side caching.",
            "TRACKINGINFO",
            "    Report tracking status for the current connection.",
            "NO-EVICT (ON|OFF)",
            "    Protect current client connection from eviction.",
            "NO-TOUCH (ON|OFF)",
            "    Will not touch LRU/LFU stats when this mode is on.",
            "HELP",
            "    Prints this help."};
        s.reply().simpleLines(lines);
    }
}
