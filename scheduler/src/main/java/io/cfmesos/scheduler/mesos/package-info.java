/**
 * The cf-mesos framework's Mesos v1 scheduler client: one subscription kept alive, calls, events.
 *
 * <p>How the scheduler service uses it:
 * <pre>{@code
 * MesosClientConfig config = MesosClientConfig.builder("zk://zk1:2181,zk2:2181/mesos")   // or http(s)://host:5050
 *         .role("cf").principal("cf-mesos").secretFile(Path.of("/var/vcap/jobs/cf-mesos/secret"))
 *         .build();
 * FrameworkIdStore ids = new FileFrameworkIdStore(Path.of("/var/vcap/store/cf-mesos/framework-id"));
 * MesosSchedulerClient mesos = new MesosSchedulerClient(config, ids, taskRegistry, new SchedulerListener() {
 *     public void offers(List<Offer> offers) { offerBook.add(offers); }        // then launch(...) or decline(...)
 *     public void update(TaskStatus status) { cells.onStatus(status); }        // acknowledged after it returns
 *     public void disconnected(String reason) { offerBook.clear(); }           // offers die with the stream
 *     public void rescind(OfferID id) { offerBook.remove(id); }
 * });
 * mesos.start();
 * ...
 * mesos.launch(List.of(offer.getId()), taskInfos, SchedulerCalls.refuse(Duration.ofSeconds(120)));
 * mesos.decline(unusedOfferIds, SchedulerCalls.refuse(Duration.ofSeconds(120)));
 * mesos.wantOffers(queue.hasPendingWork());  // REVIVE (rate limited) or SUPPRESS
 * }</pre>
 *
 * <p>Wire rules follow {@code reference/mesos-v1.md}; the transport pieces (media types, codec, RecordIO,
 * headers, redirects) come from {@code io.cfmesos.mesos.http}.
 */
package io.cfmesos.scheduler.mesos;
