package io.cfmesos.mesoslocal.master;

import io.cfmesos.mesoslocal.agent.Agent;
import io.cfmesos.mesoslocal.agent.ExecutorRun;
import io.cfmesos.mesoslocal.allocator.ResourceBag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.Attribute;

/**
 * {@code GET /master/state} shaped like the real master's (field names as Mesos writes them, "slaves" for
 * agents), so scripts written against Mesos keep working. Built from plain maps; rendered with Jackson.
 */
final class StateJson {
    private StateJson() {
    }

    static Map<String, Object> render(Master master, Collection<FrameworkState> frameworks,
                                      Collection<FrameworkState> completed, Collection<Agent> agents,
                                      Map<String, Instant> unreachable, Collection<OfferRecord> offers,
                                      Map<String, ResourceBag> used, Map<String, ResourceBag> offered) {
        Map<String, Object> state = new LinkedHashMap<>();
        String pid = "master@127.0.0.1:" + master.port();
        state.put("version", "1.11.0");
        state.put("id", master.masterInfo().getId());
        state.put("pid", pid);
        state.put("hostname", master.masterInfo().getHostname());
        state.put("leader", master.leadership() instanceof Master.Elected ? pid : null);
        state.put("elected_time", null);
        state.put("activated_slaves", agents.size());
        state.put("deactivated_slaves", 0);
        state.put("unreachable_slaves", unreachable.size());
        List<Object> fws = new ArrayList<>();
        for (FrameworkState fw : frameworks) {
            fws.add(framework(fw, offers, true));
        }
        state.put("frameworks", fws);
        List<Object> done = new ArrayList<>();
        for (FrameworkState fw : completed) {
            done.add(framework(fw, List.of(), false));
        }
        state.put("completed_frameworks", done);
        state.put("unregistered_frameworks", List.of());
        List<Object> slaves = new ArrayList<>();
        for (Agent agent : agents) {
            Map<String, Object> a = new LinkedHashMap<>();
            String id = agent.id().getValue();
            a.put("id", id);
            a.put("hostname", agent.spec().hostname());
            a.put("port", agent.info().hasPort() && agent.endpoint() != null ? agent.info().getPort() : 0);
            a.put("pid", agent.endpoint() == null ? null : "slave(1)@" + agent.endpoint());
            a.put("active", agent.state() == Agent.State.ACTIVE);
            a.put("attributes", attributes(agent.info().getAttributesList()));
            a.put("resources", resources(agent.total()));
            a.put("used_resources", resources(used.getOrDefault(id, ResourceBag.EMPTY)));
            a.put("offered_resources", resources(offered.getOrDefault(id, ResourceBag.EMPTY)));
            ResourceBag unreserved = agent.total();
            a.put("unreserved_resources", resources(unreserved));
            a.put("version", "1.11.0");
            a.put("executors", executors(agent));
            slaves.add(a);
        }
        state.put("slaves", slaves);
        return state;
    }

    private static List<Object> executors(Agent agent) {
        List<Object> out = new ArrayList<>();
        for (ExecutorRun run : agent.executors()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", run.executorId().getValue());
            e.put("framework_id", run.frameworkId().getValue());
            e.put("state", run.state().name());
            e.put("directory", run.sandbox().toString());
            e.put("command_executor", run.isCommandExecutor());
            out.add(e);
        }
        return out;
    }

    private static Map<String, Object> framework(FrameworkState fw, Collection<OfferRecord> offers, boolean active) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("id", fw.idValue());
        f.put("name", fw.info.getName());
        f.put("user", fw.info.getUser());
        f.put("principal", fw.info.hasPrincipal() ? fw.info.getPrincipal() : null);
        f.put("roles", new ArrayList<>(fw.roles));
        f.put("suppressed_roles", new ArrayList<>(fw.suppressed));
        f.put("active", active && fw.connected);
        f.put("connected", fw.connected);
        f.put("recovered", false);
        f.put("checkpoint", fw.info.getCheckpoint());
        f.put("failover_timeout", fw.info.getFailoverTimeout());
        f.put("capabilities", fw.info.getCapabilitiesList().stream().map(c -> c.getType().name()).toList());
        f.put("registered_time", seconds(fw.registeredTime));
        f.put("unregistered_time", seconds(fw.unregisteredTime));
        f.put("used_resources", resources(fw.used));
        f.put("offered_resources", resources(fw.offered));
        List<Object> tasks = new ArrayList<>();
        for (TaskRecord t : fw.tasks.values()) {
            tasks.add(task(t));
        }
        f.put("tasks", tasks);
        List<Object> completed = new ArrayList<>();
        for (TaskRecord t : fw.completedTasks) {
            completed.add(task(t));
        }
        f.put("completed_tasks", completed);
        f.put("unreachable_tasks", new ArrayList<>(fw.unreachableTasks.keySet()));
        List<Object> os = new ArrayList<>();
        for (OfferRecord o : offers) {
            if (o.frameworkId.equals(fw.idValue())) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", o.id());
                m.put("framework_id", o.frameworkId);
                m.put("slave_id", o.agentId);
                m.put("resources", resources(o.resources));
                m.put("allocation_info", Map.of("role", o.role));
                os.add(m);
            }
        }
        f.put("offers", os);
        return f;
    }

    private static Map<String, Object> task(TaskRecord t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.info.getTaskId().getValue());
        m.put("name", t.info.getName());
        m.put("framework_id", t.frameworkId);
        m.put("executor_id", t.info.hasExecutor() ? t.executorId.getValue() : "");
        m.put("slave_id", t.agentId);
        m.put("state", t.state.name());
        m.put("status_update_state", t.statusUpdateState == null ? null : t.statusUpdateState.name());
        m.put("role", t.role);
        m.put("resources", resources(t.resources));
        List<Object> statuses = new ArrayList<>();
        if (t.lastStatus != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("state", t.lastStatus.getState().name());
            s.put("timestamp", t.lastStatus.getTimestamp());
            statuses.add(s);
        }
        m.put("statuses", statuses);
        return m;
    }

    private static Map<String, Object> resources(ResourceBag bag) {
        Map<String, Object> r = new LinkedHashMap<>();
        for (String name : new String[] {"cpus", "mem", "disk", "gpus"}) {
            r.put(name, bag.get(name));
        }
        bag.asMap().forEach(r::putIfAbsent);
        return r;
    }

    private static Map<String, Object> attributes(List<Attribute> attributes) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Attribute a : attributes) {
            out.put(a.getName(), a.hasScalar() ? (Object) a.getScalar().getValue() : a.getText().getValue());
        }
        return out;
    }

    private static Double seconds(Instant t) {
        return t == null ? null : t.getEpochSecond() + t.getNano() / 1e9;
    }
}
