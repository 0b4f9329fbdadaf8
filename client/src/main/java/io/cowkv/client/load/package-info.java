/**
 * {@code cowkv-load}: the load tester for snapshot copy-on-write overhead.
 *
 * <ul>
 *   <li>{@link io.cowkv.client.load.Main}: command line (picocli), exit codes 0/1/2.</li>
 *   <li>{@link io.cowkv.client.load.ScenarioRunner}: fill, baseline, BGSAVE under load, INFO
 *       sampling, against one server.</li>
 *   <li>{@link io.cowkv.client.load.LoadGenerator}: non-blocking senders on the client's event
 *       loops, pipeline window per connection, optional rate with
 *       {@link io.cowkv.client.load.RateLimiter} (coordinated-omission corrected latencies).</li>
 *   <li>{@link io.cowkv.client.load.KeyDistribution}: uniform, hot set, zipfian.</li>
 *   <li>{@link io.cowkv.client.load.Reports}: text table, JSON, self-contained HTML with inline
 *       SVG charts.</li>
 * </ul>
 */
package io.cowkv.client.load;
