package io.cowkv.server.bootstrap;

public final class Main {
    public static void main(String[] args) {
        System.out.println("placeholder");
    }
}
