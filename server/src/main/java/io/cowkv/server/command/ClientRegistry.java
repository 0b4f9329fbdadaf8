package io.cowkv.server.command;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The connected clients, by id, in connection order. Keyspace thread only. */
public final class ClientRegistry {
    private final Map<Long, Session> clients = new LinkedHashMap<>();
    private long nextId = 1;
    public long totalConnections;
    public long rejectedConnections;

    public long nextId() {
        return nextId++;
    }

    public void add(Session s) {
        clients.put(s.id, s);
        totalConnections++;
    }

    public void remove(Session s) {
        clients.remove(s.id);
    }

    public Session get(long id) {
        return clients.get(id);
    }

    public Collection<Session> all() {
        return Collections.unmodifiableCollection(clients.values());
    }

    public int size() {
        return clients.size();
    }
}
