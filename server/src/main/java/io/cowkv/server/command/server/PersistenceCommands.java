package io.cowkv.server.command.server;

import io.cowkv.server.command.CommandRegistry;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.command.Session;
import io.cowkv.server.protocol.CommandArgs;
import io.cowkv.server.protocol.Errors;
import io.cowkv.server.snapshot.SnapshotCoordinator;

import static io.cowkv.server.command.CommandSpec.command;

/**
 * The persistence family: SAVE, BGSAVE [SCHEDULE], LASTSAVE, with Redis 7.0's replies. The work is
 * done by the {@link SnapshotCoordinator}; this class only parses and answers. Keyspace thread.
 */
public final class PersistenceCommands {
    static final String IN_PROGRESS = "ERR Background save already in progress";
    private final SnapshotCoordinator snapshots;

    public PersistenceCommands(ServerContext server, SnapshotCoordinator snapshots) {
        this.snapshots = snapshots;
    }

    public void register(CommandRegistry r) {
        r.register(command("save", 1).flags("admin", "noscript", "no_async_loading", "no_multi")
                .handler(this::save).build());
        r.register(command("bgsave", -1).flags("admin", "noscript", "no_async_loading").handler(this::bgsave).build());
        r.register(command("lastsave", 1).flags("loading", "stale", "fast").handler(this::lastsave).build());
    }

    private void save(Session s, CommandArgs a) {
        switch (snapshots.save()) {
            case OK -> s.reply().ok();
            case IN_PROGRESS -> s.reply().error(IN_PROGRESS);
            default -> s.reply().error("ERR");
        }
    }

    private void bgsave(Session s, CommandArgs a) {
        if (a.count() > 2 || (a.count() == 2 && !a.is(1, "schedule"))) {
            s.reply().error(Errors.SYNTAX);
            return;
        }
        // Redis 7.0 replies "Background saving scheduled" only while an AOF rewrite child runs or
        // inside EXEC; CowKV has neither, so SCHEDULE behaves as a plain BGSAVE.
        switch (snapshots.bgsave()) {
            case STARTED -> s.reply().simple("Background saving started");
            case IN_PROGRESS -> s.reply().error(IN_PROGRESS);
            default -> s.reply().error("ERR");
        }
    }

    private void lastsave(Session s, CommandArgs a) {
        s.reply().integer(snapshots.lastSave());
    }
}
