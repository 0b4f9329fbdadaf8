package io.cowkv.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    @TempDir
    Path tmp;

    @Test
    void fileThenFlagsOverride() throws Exception {
        Path conf = tmp.resolve("cowkv.conf");
        Files.writeString(conf, "# comment\nport 7000\nmaxmemory 100mb\nsave \"\"\ndir " + tmp + "\n");
        ServerConfig c = ConfigLoader.load(new String[]{conf.toString(), "--port", "7001", "--bind", "127.0.0.1"});
        assertThat(c.port()).isEqualTo(7001);
        assertThat(c.maxmemory()).isEqualTo(100L * 1024 * 1024);
        assertThat(c.savePoints()).isEmpty();
        assertThat(c.bind()).containsExactly("127.0.0.1");
        assertThat(c.get("dir")).isEqualTo(tmp.toAbsolutePath().normalize().toString());
    }

    @Test
    void savePointsAndMemoryUnits() throws Exception {
        ServerConfig c = ConfigLoader.load(new String[]{"--save", "60", "100", "--proto-max-bulk-len", "2mb",
            "--maxmemory", "1g"});
        assertThat(c.get("save")).isEqualTo("60 100");
        assertThat(c.protoMaxBulkLen()).isEqualTo(2L * 1024 * 1024);
        assertThat(c.maxmemory()).isEqualTo(1_000_000_000L);
        assertThat(new ServerConfig().get("save")).isEqualTo("3600 1 300 100 60 10000");
    }

    @Test
    void unknownOrMalformedOptionsNameTheDirective() {
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--frobnicate", "yes"}))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(">>> 'frobnicate yes'")
                .hasMessageContaining("Bad directive or wrong number of arguments");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--port", "notaport"}))
                .hasMessageContaining(">>> 'port notaport'")
                .hasMessageContaining("argument couldn't be parsed into an integer");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--port", "70000"}))
                .hasMessageContaining("argument must be between 0 and 65535 inclusive");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--appendonly", "maybe"}))
                .hasMessageContaining("argument must be 'yes' or 'no'");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--dir", "/nonexistent/dir/x"}))
                .hasMessageContaining("Can't chdir to '/nonexistent/dir/x'");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{tmp.resolve("missing.conf").toString()}))
                .hasMessageContaining("can't open config file");
    }

    @Test
    void runtimeSetRefusesImmutableAndBadValues() throws Exception {
        ServerConfig c = new ServerConfig();
        assertThatThrownBy(() -> c.set("port", "7000", false)).hasMessage("can't set immutable config");
        assertThatThrownBy(() -> c.set("maxmemory", "lots", false)).hasMessage("argument must be a memory value");
        assertThatThrownBy(() -> c.set("maxmemory-policy", "random", false))
                .hasMessageStartingWith("argument(s) must be one of the following:");
        c.set("maxmemory", "10MB", false);
        assertThat(c.get("maxmemory")).isEqualTo("10485760");
        c.set("save", "10 1 20 2", false);
        assertThat(c.savePoints()).hasSize(2);
    }

    @Test
    void bgsaveYieldIntervalHasADefaultAndIsSetAtRuntime() throws Exception {
        ServerConfig c = new ServerConfig();
        assertThat(c.bgsaveYieldUs()).isEqualTo(250);
        c.set("bgsave-yield-us", "0", false);
        assertThat(c.bgsaveYieldUs()).isZero();
        assertThat(c.get("bgsave-yield-us")).isEqualTo("0");
        assertThatThrownBy(() -> c.set("bgsave-yield-us", "-1", false))
                .hasMessageContaining("argument must be between 0 and 1000000 inclusive");
        assertThat(ConfigLoader.load(new String[]{"--bgsave-yield-us", "1000"}).bgsaveYieldUs()).isEqualTo(1000);
    }

    @Test
    void jitSchedIdleIsOnByDefaultAndSetAtStartUpOnly() throws Exception {
        ServerConfig c = new ServerConfig();
        assertThat(c.jitSchedIdle()).isTrue();
        assertThat(c.get("jit-sched-idle")).isEqualTo("yes");
        assertThatThrownBy(() -> c.set("jit-sched-idle", "no", false)).hasMessage("can't set immutable config");
        assertThat(ConfigLoader.load(new String[]{"--jit-sched-idle", "no"}).jitSchedIdle()).isFalse();
    }

    @Test
    void rdbSaveIncrementalFsyncIsRedisDefaultAndSetAtRuntime() throws Exception {
        assertRuntimeYesNoDefaultingToYes("rdb-save-incremental-fsync", ServerConfig::rdbSaveIncrementalFsync);
    }

    @Test
    void rdbRecyclePreviousDumpIsOnByDefaultAndSetAtRuntime() throws Exception {
        assertRuntimeYesNoDefaultingToYes("rdb-recycle-previous-dump", ServerConfig::rdbRecyclePreviousDump);
    }

    /** A yes/no parameter that defaults to yes, CONFIG SET at runtime, with Redis's error for other values. */
    private static void assertRuntimeYesNoDefaultingToYes(String name, java.util.function.Predicate<ServerConfig> value)
            throws Exception {
        ServerConfig c = new ServerConfig();
        assertThat(value.test(c)).isTrue();
        assertThat(c.get(name)).isEqualTo("yes");
        c.set(name, "no", false);
        assertThat(value.test(c)).isFalse();
        assertThat(c.get(name)).isEqualTo("no");
        assertThatThrownBy(() -> c.set(name, "maybe", false)).hasMessage("argument must be 'yes' or 'no'");
    }
}
