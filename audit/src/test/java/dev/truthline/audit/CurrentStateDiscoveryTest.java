package dev.truthline.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The reconciliation's tables, found in the reference pipeline's connector files or given by the operator. */
class CurrentStateDiscoveryTest {

    private static final Path ORDERS = Path.of(System.getProperty("truthline.orders.dir"));
    private static final Map<String, String> ENV = Map.of(
            "TRUTHLINE_PG_HOST", "source-db", "TRUTHLINE_PG_PORT", "5433", "TRUTHLINE_PG_DB", "shop",
            "TRUTHLINE_PG_USER", "reader", "TRUTHLINE_PG_PASSWORD", "s3cret",
            "TRUTHLINE_WAREHOUSE_JDBC_URL", "jdbc:postgresql://dwh:5432/dwh",
            "TRUTHLINE_WAREHOUSE_USER", "analyst", "TRUTHLINE_WAREHOUSE_PASSWORD", "pw");
    private static final CurrentStateDiscovery.Given NOTHING = new CurrentStateDiscovery.Given(null, null, null, null,
            null, null, null, null, null);

    @Test
    void findsTheSourceTableTheWarehouseTableAndTheWarehouseDeadLetterQueue() throws Exception {
        ReconcilePlan plan = CurrentStateDiscovery.discover(ConnectorConfigs.fromFiles(ORDERS), new ConfigValues(ENV),
                "orders.events.v1", NOTHING);

        assertThat(plan.source()).isEqualTo(new ReconcilePlan.Table("jdbc:postgresql://source-db:5433/shop", "reader",
                "s3cret", "public.orders"));
        assertThat(plan.current()).isEqualTo(new ReconcilePlan.Table("jdbc:postgresql://dwh:5432/dwh", "analyst",
                "pw", "orders_current"));
        assertThat(plan.currentConnector()).isEqualTo("orders-warehouse");
        assertThat(plan.currentDeadLetters()).isEqualTo("orders.events.dlq");
        assertThat(plan.lsnColumn()).isEqualTo("__source_lsn");
    }

    /** The reference source tokenizes customer_id and email: the warehouse can never hold their clear values. */
    @Test
    void columnsProtectedAtTheSourceAreNotCompared() throws Exception {
        ReconcilePlan plan = CurrentStateDiscovery.discover(ConnectorConfigs.fromFiles(ORDERS), new ConfigValues(ENV),
                "orders.events.v1", NOTHING);
        assertThat(plan.notCompared()).containsExactly("customer_id", "email");
        assertThat(CurrentStateDiscovery.protectedColumns(Map.of("transforms", "a,p",
                "transforms.a.type", "org.apache.kafka.connect.transforms.InsertField$Value",
                "transforms.p.type", "dev.truthline.connect.privacy.ProtectFields$Value", "transforms.p.rules", "x,y",
                "transforms.p.rules.x.fields", "after.card,before.card", "transforms.p.rules.y.fields",
                "name,after.address.street"))).containsExactly("card", "name");
        TableRows.Shape shape = new TableRows.Shape(List.of("id"), List.of("id", "name", "card", "amount"));
        assertThat(shape.without(java.util.Set.of("card", "id")).columns()).containsExactly("id", "name", "amount");
    }

    @Test
    void whatTheOperatorGivesWinsAndMayReferToTheEnvironment() throws Exception {
        CurrentStateDiscovery.Given given = new CurrentStateDiscovery.Given("jdbc:postgresql://replica:5432/shop",
                "public.orders", "${env:TRUTHLINE_PG_USER}", null, null, "reporting.orders_now", null, null, "lsn");
        ReconcilePlan plan = CurrentStateDiscovery.discover(ConnectorConfigs.fromFiles(ORDERS), new ConfigValues(ENV),
                "orders.events.v1", given);

        assertThat(plan.source()).isEqualTo(new ReconcilePlan.Table("jdbc:postgresql://replica:5432/shop", "reader",
                "s3cret", "public.orders"));
        assertThat(plan.current().table()).isEqualTo("reporting.orders_now");
        assertThat(plan.current().jdbcUrl()).isEqualTo("jdbc:postgresql://dwh:5432/dwh");
        assertThat(plan.lsnColumn()).isEqualTo("lsn");
    }

    @Test
    void valuesNobodyGaveAreNamed() {
        assertThatThrownBy(() -> CurrentStateDiscovery.discover(ConnectorConfigs.fromFiles(ORDERS),
                new ConfigValues(Map.of()), "orders.events.v1", NOTHING))
                .isInstanceOf(CannotJudgeException.class)
                .hasMessageContaining("--current-jdbc (${env:TRUTHLINE_WAREHOUSE_JDBC_URL})")
                .hasMessageContaining("${env:TRUTHLINE_PG_PASSWORD}");
        // No JDBC sink of the change topic: the current table must be given.
        assertThatThrownBy(() -> CurrentStateDiscovery.discover(Map.of(), new ConfigValues(ENV), "orders.events.v1",
                NOTHING)).isInstanceOf(CannotJudgeException.class)
                .hasMessageContaining("--current-jdbc").hasMessageContaining("--current-table")
                .hasMessageContaining("--source-jdbc").hasMessageContaining("--source-table");
    }

    @Test
    void theSourceTableIsTheOneEntryOfTheIncludeList() {
        assertThat(CurrentStateDiscovery.sourceTable(Map.of("table.include.list", "public\\.orders")))
                .isEqualTo("public.orders");
        assertThat(CurrentStateDiscovery.sourceTable(Map.of("table.include.list", "public.orders,public.items")))
                .isNull();
        assertThat(CurrentStateDiscovery.sourceTable(Map.of("table.include.list", "public\\.order.*"))).isNull();
        assertThat(CurrentStateDiscovery.currentTable(Map.of("collection.name.format", "dwh_${topic}"), "t"))
                .isEqualTo("dwh_t");
        assertThat(CurrentStateDiscovery.currentTable(Map.of("collection.name.format", "${source.table}"), "t"))
                .isNull();
        assertThat(List.of(AuditSettings.fromArguments(List.of("connectors=x", "currentTable=t")).reconcile,
                AuditSettings.fromArguments(List.of("connectors=x")).reconcile)).containsExactly(true, false);
        assertThatThrownBy(() -> AuditSettings.fromArguments(List.of("connectors=x", "reconcile=true",
                "since=2026-12-04T16:00:00Z"))).isInstanceOfSatisfying(OptionException.class,
                        e -> assertThat(e.option()).isEqualTo("--reconcile"))
                .hasMessageContaining("give no range (--since…, --until…) or --checkpoint");
    }
}
