package dev.quantfleet.engine;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine is shared by the worker, the coordinator and the command line, and runs in one
 * process for tests and benchmarks, so it must not depend on the fleet's transport, framework or
 * storage libraries.
 */
class EngineBoundaryTest {

    private static final String[] FLEET_PACKAGES = {
        "org.apache.kafka..", "io.quarkus..", "io.smallrye.reactive.messaging..",
        "software.amazon..", "com.amazonaws..", "io.minio..", "org.gaul.."
    };

    @Test
    void engineImportsNoKafkaQuarkusOrS3Code() {
        JavaClasses engine = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.quantfleet.engine");
        assertThat(engine).as("engine classes found on the class path").isNotEmpty();

        ArchRule rule = noClasses().that().resideInAPackage("dev.quantfleet.engine..")
                .should().dependOnClassesThat().resideInAnyPackage(FLEET_PACKAGES)
                .because("the engine must run without the fleet's Kafka, Quarkus and S3 libraries");
        rule.check(engine);
    }
}
