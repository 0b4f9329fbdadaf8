package io.cowkv.client.load;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cowkv-load}: measures what a snapshot (BGSAVE) costs under write load, on one server or
 * two side by side. Exit codes: 0 success, 1 the scenario could not run (unreachable server, no
 * BGSAVE, ...), 2 bad arguments.
 */
@Command(name = "cowkv-load", version = "cowkv-load 0.1",
        sortOptions = false,
        description = {
            "Fills N keys, runs a write workload without a save (baseline), then BGSAVE with the same workload until the "
                    + "save ends, sampling INFO persistence/memory/stats. Writes report.txt, report.json and report.html.",
        })
public final class Main implements Callable<Integer> {

    @Option(names = "--help", usageHelp = true, description = "show this help and exit")
    boolean help;

    @Option(names = "--version", versionHelp = true, description = "print the version and exit")
    boolean versionRequested;

    @Option(names = {"-h", "--host"}, description = "server host (default: ${DEFAULT-VALUE})", defaultValue = "127.0.0.1")
    String host;

    @Option(names = {"-p", "--port"}, description = "server port (default: ${DEFAULT-VALUE})", defaultValue = "6379")
    int port;

    @Option(names = "--label", description = "name of the server in reports (default: host:port)")
    String label;

    @Option(names = "--compare", paramLabel = "HOST:PORT", description = "run the same scenario against this second server and report both")
    String compare;

    @Option(names = "--compare-label", description = "name of the second server in reports (default: host:port)")
    String compareLabel;

    @Option(names = {"-n", "--keys"}, description = "keys to fill and to write to (default: ${DEFAULT-VALUE})", defaultValue = "100000")
    long keys;

    @Option(names = {"-d", "--value-size"}, description = "bytes per value for the fill (default: ${DEFAULT-VALUE})", defaultValue = "512")
    int valueSize;

    @Option(names = "--skip-fill", description = "do not fill: the keys already exist")
    boolean skipFill;

    @Option(names = {"-c", "--connections"}, description = "workload connections (default: ${DEFAULT-VALUE})", defaultValue = "8")
    int connections;

    @Option(names = {"-P", "--pipeline"}, description = "commands in flight per connection (default: ${DEFAULT-VALUE})", defaultValue = "16")
    int pipeline;

    @Option(names = "--rate", description = "total operations per second, 0 = full speed (default: ${DEFAULT-VALUE})", defaultValue = "0")
    double rate;

    @Option(names = "--distribution", description = "uniform, hot:PCT (hot set of PCT%% of keys) or zipfian[:THETA] (default: ${DEFAULT-VALUE})", defaultValue = "uniform")
    String distribution;

    @Option(names = "--hot-ops", description = "percent of operations that hit the hot set of hot:PCT (default: ${DEFAULT-VALUE})", defaultValue = "90")
    double hotOps;

    @Option(names = "--write-ratio", description = "fraction of operations that are SET, the rest GET, 0..1 (default: ${DEFAULT-VALUE})", defaultValue = "1.0")
    double writeRatio;

    @Option(names = "--write-value-size", description = "bytes per value written by the workload (default: --value-size)")
    Integer writeValueSize;

    @Option(names = "--warmup-seconds", description = "workload duration before the baseline, not measured (default: ${DEFAULT-VALUE})", defaultValue = "1")
    double warmupSeconds;

    @Option(names = "--baseline-seconds", description = "workload duration before BGSAVE (default: ${DEFAULT-VALUE})", defaultValue = "5")
    double baselineSeconds;

    @Option(names = "--sample-ms", description = "INFO sampling interval in ms (default: ${DEFAULT-VALUE})", defaultValue = "100")
    long sampleMs;

    @Option(names = "--max-save-seconds", description = "give up when BGSAVE runs longer (default: ${DEFAULT-VALUE})", defaultValue = "600")
    long maxSaveSeconds;

    @Option(names = "--connect-timeout-ms", description = "connect timeout (default: ${DEFAULT-VALUE})", defaultValue = "3000")
    long connectTimeoutMs;

    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})", defaultValue = "42")
    long seed;

    @Option(names = {"-o", "--out"}, description = "directory for report.txt/json/html (default: ${DEFAULT-VALUE})", defaultValue = "cowkv-load-out")
    Path out;

    @Option(names = {"-q", "--quiet"}, description = "no progress line")
    boolean quiet;

    private PrintStream stdout = System.out;
    private PrintStream stderr = System.err;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the tool; returns the exit code. */
    public static int run(String[] args, PrintStream stdout, PrintStream stderr) {
        Main m = new Main();
        m.stdout = stdout;
        m.stderr = stderr;
        CommandLine cl = new CommandLine(m);
        cl.setOut(new PrintWriter(stdout, true));
        cl.setErr(new PrintWriter(stderr, true));
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof LoadException) {
                if (!m.quiet) stderr.println();
                stderr.println("cowkv-load: " + ex.getMessage());
                return 1;
            }
            stderr.println("cowkv-load: unexpected failure: " + ex);
            ex.printStackTrace(stderr);
            return 1;
        });
        return cl.execute(args);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private void check(boolean ok, String message) {
        if (!ok) throw new CommandLine.ParameterException(spec.commandLine(), message);
    }

    @Override
    public Integer call() throws Exception {
        check(port >= 1 && port <= 65535, "--port must be in 1..65535");
        check(keys >= 1, "--keys must be >= 1");
        check(valueSize >= 0, "--value-size must be >= 0");
        check(connections >= 1 && connections <= 1024, "--connections must be in 1..1024");
        check(pipeline >= 1 && pipeline <= 100_000, "--pipeline must be in 1..100000");
        check(rate >= 0, "--rate must be >= 0");
        check(writeRatio >= 0 && writeRatio <= 1, "--write-ratio must be in 0..1");
        check(hotOps >= 0 && hotOps <= 100, "--hot-ops must be in 0..100");
        check(baselineSeconds >= 0, "--baseline-seconds must be >= 0");
        check(warmupSeconds >= 0, "--warmup-seconds must be >= 0");
        check(sampleMs >= 10, "--sample-ms must be >= 10");
        check(maxSaveSeconds >= 1, "--max-save-seconds must be >= 1");
        int wvs = writeValueSize == null ? valueSize : writeValueSize;
        check(wvs >= 0, "--write-value-size must be >= 0");
        try {
            KeyDistribution.parse(distribution, keys, hotOps);
        } catch (IllegalArgumentException e) {
            check(false, "--distribution: " + e.getMessage());
        }
        String cHost = null;
        int cPort = 0;
        if (compare != null) {
            int colon = compare.lastIndexOf(':');
            check(colon > 0, "--compare must be HOST:PORT, got '" + compare + "'");
            cHost = compare.substring(0, colon);
            try {
                cPort = Integer.parseInt(compare.substring(colon + 1));
            } catch (NumberFormatException e) {
                cPort = -1;
            }
            check(cPort >= 1 && cPort <= 65535, "--compare must be HOST:PORT with a port in 1..65535, got '" + compare + "'");
        }
        Results.Scenario sc = new Results.Scenario(keys, valueSize, skipFill, connections, pipeline, rate, distribution,
                writeRatio, wvs, baselineSeconds, sampleMs, seed,
                OffsetDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), warmupSeconds);
        Progress progress = new Progress(stderr, !quiet);
        List<Results.ServerResult> results = new ArrayList<>();
        results.add(runOne(sc, host, port, label, progress));
        if (compare != null) results.add(runOne(sc, cHost, cPort, compareLabel, progress));
        Results.Report report = new Results.Report(sc, results);
        List<Path> files = Reports.writeAll(report, out);
        stdout.print(Reports.text(report));
        stdout.println();
        for (Path f : files) stdout.println("wrote " + f);
        return 0;
    }

    private Results.ServerResult runOne(Results.Scenario sc, String h, int p, String l, Progress progress) {
        return new ScenarioRunner(sc, h, p, l == null ? h + ":" + p : l, Duration.ofMillis(connectTimeoutMs),
                maxSaveSeconds * 1000, progress).hotOpsPercent(hotOps).run();
    }
}
