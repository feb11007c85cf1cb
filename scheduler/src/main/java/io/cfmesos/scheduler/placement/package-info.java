/**
 * The placement engine: which Mesos agent takes each Diego LRP instance or Task of a batch.
 *
 * <p>{@link io.cfmesos.scheduler.placement.PlacementEngine#place} is pure. Around the strategy's choice it applies
 * Diego's rules (reference/diego-wire.md):
 * <ul>
 *   <li>§3 validation texts for invalid auctions; §8.1 dedupe by identifier, the first one kept;</li>
 *   <li>§8.2 order: LRPs with index &lt;= 0, all Tasks, LRPs with index &gt; 0; LRPs by index then memory
 *       descending, Tasks by memory descending, ties in input order (Go's sort is unstable);</li>
 *   <li>§8.2 the in-flight cap, checked first for every auction; zero agents fail everything with
 *       {@code unable to communicate to compatible cells};</li>
 *   <li>§8.3 filters (rootfs scheme and fixed-set stack, volume drivers, required/optional placement tags) with
 *       the deepest error winning, evaluated once per distinct constraint and compatibility class;</li>
 *   <li>§8.4 feasibility on memory, disk and one container, plus what Mesos adds: cpus derived from memory
 *       ({@link io.cfmesos.scheduler.placement.PlacementConfig#milliCpusFor}) and the cell overhead, charged once
 *       on an agent whose cell is not running yet. {@code insufficient resources: ...} lists the problems shared
 *       by every compatible agent, sorted; {@code cpus} appears there only when every compatible agent lacks cpus
 *       (Diego has no cpu term, so a cpu shortage alone reads {@code insufficient resources: cpus});</li>
 *   <li>every placement is deducted before the next choice; an LRP's memory includes the proxy allocation.</li>
 * </ul>
 *
 * <p>Strategies: {@code binpack} ({@code BinPackPlacer}), {@code spread}
 * ({@code SpreadPlacer}), {@code diego}
 * ({@code DiegoPlacer}, §8.4 scores and §8.5 zone groups), and plug-ins through
 * {@link io.cfmesos.scheduler.placement.PlacementStrategy} and {@link java.util.ServiceLoader}.
 *
 * <p>Data layout: agents become slots in struct-of-arrays form ({@code AgentTable}),
 * sorted by compatibility class and zone so each (class, zone) is a contiguous run; auctions become interned
 * shapes. Binpack and spread keep agents in treaps keyed by free amount (O(log n) per placement); diego keeps a
 * segment tree of score parts for a branch-and-bound search.
 */
package io.cfmesos.scheduler.placement;
