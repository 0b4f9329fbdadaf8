package io.cowkv.server;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Holds the dependency lines of DESIGN.md: lower layers never import upper ones. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.cowkv.server");

    @Test
    void protocolKnowsNothingOfTheKeyspaceOrCommands() {
        noClasses().that().resideInAPackage("..server.protocol..")
                .should().dependOnClassesThat().resideInAnyPackage("..server.keyspace..", "..server.memory..",
                        "..server.command..", "..server.net..", "..server.snapshot..", "..server.bootstrap..")
                .check(CLASSES);
    }

    @Test
    void keyspaceAndMemoryNeverImportNetty() {
        noClasses().that().resideInAnyPackage("..server.keyspace..", "..server.memory..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "..server.net..",
                        "..server.protocol..", "..server.command..", "..server.bootstrap..")
                .check(CLASSES);
    }

    @Test
    void onlyBootstrapWiresEverything() {
        noClasses().that().resideOutsideOfPackage("..server.bootstrap..")
                .should().dependOnClassesThat().resideInAPackage("..server.bootstrap..")
                .check(CLASSES);
    }

    @Test
    void commandsDoNotReachIntoTheNetworkLayer() {
        noClasses().that().resideInAnyPackage("..server.command..", "..server.config..", "..server.metrics..")
                .should().dependOnClassesThat().resideInAnyPackage("..server.net..")
                .check(CLASSES);
    }

    @Test
    void metricsAndConfigStayBelowCommands() {
        noClasses().that().resideInAnyPackage("..server.metrics..", "..server.config..")
                .should().dependOnClassesThat().resideInAnyPackage("..server.command..")
                .check(CLASSES);
    }
}
