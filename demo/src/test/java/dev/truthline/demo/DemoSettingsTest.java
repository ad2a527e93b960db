package dev.truthline.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The settings a demo JVM is started with: truthline demo's options as name=value arguments. */
class DemoSettingsTest {

    private static final Path HOME = Path.of("/repo");

    @Test
    void noArgumentsAreTheRepositoryDefaults() {
        DemoSettings s = DemoSettings.fromArguments(HOME, List.of(), Map.of());
        assertThat(s.changes).isEqualTo(100_000);
        assertThat(s.rate).isEqualTo(1_000);
        assertThat(s.invalidShare).isEqualTo(0.05);
        assertThat(s.duplicateShare).isEqualTo(0.03);
        assertThat(s.killWorker).isFalse();
        assertThat(s.brokers).isOne();
        assertThat(s.killBroker).isFalse();
        assertThat(s.workDir).isEqualTo(HOME.resolve("target/demo"));
        assertThat(s.kafkaLibs).isEqualTo(HOME.resolve("demo-kafka/target/libs"));
        assertThat(s.pluginPath).contains(HOME.resolve("demo/target/plugins"));
        assertThat(s.connectors).isEqualTo(DemoSettings.defaultConnectors(HOME));
        assertThat(s.pgPassword).isEqualTo("postgres");
    }

    @Test
    void everyArgumentSetsItsField() {
        DemoSettings s = DemoSettings.fromArguments(HOME, List.of("changes=2000", "rate=500", "invalidShare=0.1",
                "duplicateShare=0.05", "seed=7", "killWorker=true", "keepRunning=true", "connectors=cfg", "workDir=w",
                "pgUrl=jdbc:postgresql://db:5432/shop", "pgUser=u", "env.TRUTHLINE_TASKS=2", "pluginPath=a,b",
                "kafkaLibs=libs", "bootstrapServers=k:9092", "connectUrl=http://c:8083", "brokers=3", "killBroker=true"),
                Map.of(DemoSettings.PG_PASSWORD_ENV, "p"));
        assertThat(s.changes).isEqualTo(2_000);
        assertThat(s.rate).isEqualTo(500);
        assertThat(s.invalidShare).isEqualTo(0.1);
        assertThat(s.duplicateShare).isEqualTo(0.05);
        assertThat(s.seed).isEqualTo(7);
        assertThat(s.killWorker).isTrue();
        assertThat(s.keepRunning).isTrue();
        assertThat(s.connectors).isEqualTo(Path.of("cfg"));
        assertThat(s.workDir).isEqualTo(Path.of("w"));
        assertThat(s.pgUrl).isEqualTo("jdbc:postgresql://db:5432/shop");
        assertThat(s.pgUser).isEqualTo("u");
        assertThat(s.pgPassword).isEqualTo("p");
        assertThat(s.env).containsEntry("TRUTHLINE_TASKS", "2");
        assertThat(s.pluginPath).isEqualTo(List.of(Path.of("a"), Path.of("b")));
        assertThat(s.kafkaLibs).isEqualTo(Path.of("libs"));
        assertThat(s.bootstrapServers).isEqualTo("k:9092");
        assertThat(s.connectUrl).isEqualTo("http://c:8083");
        assertThat(s.brokers).isEqualTo(3);
        assertThat(s.killBroker).isTrue();
    }

    @Test
    void aBrokerKillNeedsTheDemosOwnClusterOfThree() {
        DemoSettings s = DemoSettings.fromArguments(HOME, List.of("killBroker=true", "brokers=2"), Map.of());
        assertThatThrownBy(s::check).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--kill-broker needs --brokers 3 or more");
        s.brokers = 3;
        s.check();
        s.bootstrapServers = "k:9092";
        assertThatThrownBy(s::check).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--brokers sizes the demo's own Kafka cluster");
        s.brokers = 0;
        s.bootstrapServers = null;
        assertThatThrownBy(s::check).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--brokers must be within [1, 5]");
    }

    @Test
    void anUnknownSettingIsRefusedByName() {
        assertThatThrownBy(() -> DemoSettings.fromArguments(HOME, List.of("chnages=5"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown demo setting chnages");
        assertThatThrownBy(() -> DemoSettings.fromArguments(HOME, List.of("changes"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not name=value: changes");
    }
}
