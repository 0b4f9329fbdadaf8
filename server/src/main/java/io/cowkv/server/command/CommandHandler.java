package io.cowkv.server.command;

import io.cowkv.server.protocol.CommandArgs;

/**
 * Executes one command whose name and arity the dispatcher has already checked.
 * Contract: runs on the keyspace thread; writes exactly one top-level reply to {@code s.reply()}.
 */
@FunctionalInterface
public interface CommandHandler {
    void execute(Session s, CommandArgs args);
}
