package io.cfmesos.plugin.tosca;

import io.cfmesos.plugin.tosca.Model.NodeTemplate;
import io.cfmesos.plugin.tosca.Model.NodeType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ToscaParserTest {

    @Test
    void readsTheFormsAlienAccepts() {
        ToscaDocument d = ToscaParser.parse("""
                tosca_definitions_version: alien_dsl_1_4_0
                template_name: legacy
                template_version: 1.0
                imports:
                  - tosca-normative-types:1.0.0-ALIEN14
                node_types:
                  x.Node:
                    derived_from: tosca.nodes.SoftwareComponent
                    tags:
                      icon: /images/x.png
                    capabilities:
                      short: x.Cap
                      long:
                        type: x.Cap2
                    requirements:
                      - host: tosca.capabilities.Container
                      - peer:
                          capability: x.Cap
                          relationship: tosca.relationships.ConnectsTo
                          occurrences: [0, UNBOUNDED]
                    artifacts:
                      - conf:
                          file: artifacts/x.cfg
                          type: tosca.artifacts.File
                    interfaces:
                      tosca.interfaces.node.lifecycle.Standard:
                        description: ignored
                        create: scripts/create.sh
                        start:
                          inputs:
                            PORT: { get_property: [SELF, port] }
                          implementation: scripts/start.sh
                        stop:
                """, "x.yml");
        assertThat(d.id()).isEqualTo("legacy:1.0");
        NodeType t = d.nodeTypes().get("x.Node");
        assertThat(t.icon()).isEqualTo("/images/x.png");
        assertThat(t.capabilities()).containsExactly(Map.entry("short", "x.Cap"), Map.entry("long", "x.Cap2"));
        assertThat(t.requirements()).hasSize(2);
        assertThat(t.requirements().get(0).capability()).isEqualTo("tosca.capabilities.Container");
        assertThat(t.requirements().get(1).upper()).isEqualTo(-1);
        assertThat(t.artifacts()).containsEntry("conf", "artifacts/x.cfg");
        assertThat(t.operations()).extracting(o -> o.interfaceName() + "." + o.name() + "=" + o.implementation())
                .containsExactly("Standard.create=scripts/create.sh", "Standard.start=scripts/start.sh",
                        "Standard.stop=null");
        assertThat(t.operations().get(1).inputs()).containsKey("PORT");
    }

    @Test
    void readsTopologyTemplates() {
        ToscaDocument d = ToscaParser.parse("""
                tosca_definitions_version: alien_dsl_2_0_0
                metadata: {template_name: t, template_version: 1.0.0}
                topology_template:
                  inputs:
                    n: {type: integer, default: 3}
                  node_templates:
                    A:
                      type: tosca.nodes.Compute
                      capabilities:
                        scalable:
                          properties: {min_instances: 1, max_instances: { get_input: n }}
                    B:
                      type: x.Node
                      requirements:
                        - host: A
                        - peer:
                            node: A
                            relationship:
                              type: tosca.relationships.ConnectsTo
                  outputs:
                    ip: {value: { get_attribute: [A, ip_address] }}
                """, "t.yml");
        NodeTemplate a = d.topology().nodeTemplates().get("A");
        assertThat(a.capabilityProperties().get("scalable")).containsEntry("max_instances", Map.of("get_input", "n"));
        NodeTemplate b = d.topology().nodeTemplates().get("B");
        assertThat(b.requirements()).extracting(r -> r.name() + "->" + r.node() + "/" + r.relationship())
                .containsExactly("host->A/null", "peer->A/tosca.relationships.ConnectsTo");
        assertThat(d.topology().inputs().get("n").defaultValue()).isEqualTo(3);
        assertThat(d.topology().outputs().get("ip").value())
                .isEqualTo(Map.of("get_attribute", List.of("A", "ip_address")));
    }

    @Test
    void structureErrorsNameThePath() {
        assertThatThrownBy(() -> ToscaParser.parse("node_types:\n  x:\n    requirements: {a: b}\n", "f.yml"))
                .isInstanceOf(ToscaFormatException.class).hasMessage("f.yml: node_types.x.requirements: expected a list, got a mapping");
        assertThatThrownBy(() -> ToscaParser.parse("- a\n", "f.yml")).hasMessageContaining("must be a YAML mapping");
        assertThatThrownBy(() -> ToscaParser.parse("a: [\n", "f.yml")).hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> ToscaParser.parse("topology_template:\n  node_templates:\n    A: {}\n", "f.yml"))
                .hasMessageContaining("topology_template.node_templates.A.type: is required");
    }

    @Test
    void scalarUnitsBecomeMesosMegabytes() {
        assertThat(ScalarUnits.toMesosMb("16 GiB")).isEqualTo(16384);
        assertThat(ScalarUnits.toMesosMb("16GB")).isEqualTo(15258); // 16e9 bytes
        assertThat(ScalarUnits.toMesosMb("512 mib")).isEqualTo(512);
        assertThat(ScalarUnits.toMesosMb("1.5 TiB")).isEqualTo(1572864);
        assertThat(ScalarUnits.toMesosMb(4096)).isEqualTo(3906); // a bare number is TOSCA MB (1e6 bytes)
        assertThatThrownBy(() -> ScalarUnits.toMesosMb("16 GX")).hasMessageContaining("unknown unit");
        assertThatThrownBy(() -> ScalarUnits.toMesosMb("lots")).hasMessageContaining("not a size");
    }

    @Test
    void importsResolveTransitivelyAndReportUnknownOnes() {
        ArchiveRegistry r = ArchiveRegistry.withBuiltIns();
        ToscaDocument t = ToscaParser.parse("tosca_definitions_version: alien_dsl_2_0_0\nimports:\n"
                + "  - " + ArchiveRegistry.bundledTypes().id() + "\n  - other:1.0\n", "t.yml");
        ArchiveRegistry.Resolution res = r.resolve(t);
        assertThat(res.imported()).extracting(ToscaDocument::id)
                .containsExactly(ArchiveRegistry.bundledTypes().id(), ArchiveRegistry.NORMATIVE_TYPES);
        assertThat(res.problems()).singleElement().asString().contains("\"other:1.0\" names no known archive");
        assertThat(res.catalog().nodeDerivesFrom("io.cfmesos.nodes.MesosAgent", "tosca.nodes.Root")).isTrue();
        assertThat(res.catalog().relationshipDerivesFrom("io.cfmesos.relationships.SchedulerHostedOn",
                "tosca.relationships.HostedOn")).isTrue();
    }
}
