package dev.truthline.audit.defects;

import static dev.truthline.audit.defects.DefectFixtures.SECRET;
import static dev.truthline.audit.defects.DefectFixtures.SILVER_DLQ;
import static dev.truthline.audit.defects.DefectFixtures.SILVER_REJECTS;
import static dev.truthline.audit.defects.DefectFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The console table, the JSON and the HTML view: what they show, and that no payload value or key leaks. */
class TriageOutputTest {

    private static final Instant NOW = T0.plus(Duration.ofDays(7));
    private final DefectFixtures f = new DefectFixtures();
    private final XPath xpath = XPathFactory.newInstance().newXPath();

    @TempDir
    Path dir;

    private Triage.Result triage() throws Exception {
        f.quarantined(0, T0, 1, "status_known:status");
        f.quarantined(0, T0.plus(Duration.ofDays(1)), 2, "status_known:status", "amount_range:amount");
        f.quarantined(1, T0.plus(Duration.ofDays(1)), 3, "status_known:status");
        f.deadLetter(SILVER_DLQ, T0.plus(Duration.ofDays(2)), 5, 0, 10, SILVER_REJECTS);
        // A dead letter whose message and class come from a hostile plugin: markup and a control character.
        RecordHeaders h = new RecordHeaders();
        h.add("__connect.errors.exception.class.name", DefectFixtures.bytes("x.Bad<script>"));
        h.add("__connect.errors.exception.message", DefectFixtures.bytes("a & b <b>\u0001</b>"));
        f.topics.append(DefectFixtures.WAREHOUSE_DLQ, 0, T0.plus(Duration.ofDays(3)).toEpochMilli(),
                DefectFixtures.key(6), DefectFixtures.envelope(6), h);
        Triage triage = new Triage(T0.minus(Duration.ofHours(9)), NOW);
        Defects.read(DefectFixtures.plan(), f.topics.ranges(), T0.minus(Duration.ofHours(9)),
                r -> triage.add(r.defect()));
        return triage.result();
    }

    /** The fixture's payload values and keys, none of which may be shown. */
    private static void noValueIn(String output) {
        assertThat(output).doesNotContain(SECRET).doesNotContain("C000042").doesNotContain("order_id")
                .doesNotContain("not one of the allowed values");
    }

    @Test
    void theConsoleTableListsTheCausesByCountWithTheirTrend() throws Exception {
        StringWriter s = new StringWriter();
        TriageReport.console(DefectFixtures.plan(), triage(), new PrintWriter(s));
        String out = s.toString();
        noValueIn(out);
        List<String> lines = out.lines().toList();
        assertThat(lines.get(0)).isEqualTo("Defects of orders.events.v1: since 2026-11-28 00:00 UTC (7 days, per day)");
        assertThat(lines.get(1)).startsWith("Read: orders.events.v1.quarantine (orders-source), orders.silver.dlq "
                + "(orders-silver), orders.events.dlq (orders-warehouse)");
        assertThat(lines.get(2)).isEqualTo("5 defect records (3 quarantined, 2 dead-lettered) of 5 captured events, "
                + "4 causes");
        assertThat(lines.get(3)).isEqualTo("1 dead letters carry no context headers and name no event");
        String status = DefectCause.quarantine("orders-shape@2", "status_known", "status").id();
        assertThat(lines.get(6)).startsWith(status + "  quarantined            3          3  2026-11-28 09:00  "
                + "2026-11-29 09:00  ▄█      ").endsWith("orders-shape@2 status_known (status)");
        assertThat(lines.get(7)).isEqualTo("              orders-source · public.orders · e.g. "
                + "orders.events.v1.quarantine/0/0, orders.events.v1.quarantine/0/1, orders.events.v1.quarantine/1/0");
        assertThat(out).contains("orders.silver.dlq/0/0 (of orders.events.v1/0/10)");
    }

    @Test
    void theJsonNamesEachCauseWithItsPartsCountsTrendAndExamples() throws Exception {
        String text = TriageReport.jsonText(TriageReport.json(DefectFixtures.plan(), triage()));
        noValueIn(text);
        JsonNode json = new ObjectMapper().readTree(text);
        assertThat(json.path("granularity").asText()).isEqualTo("day");
        assertThat(json.path("since").asText()).isEqualTo("2026-11-28T00:00:00Z");
        assertThat(json.path("totals").path("records").asLong()).isEqualTo(5);
        assertThat(json.path("totals").path("without_event").asLong()).isEqualTo(1);
        assertThat(json.path("dead_letter_queues").path(SILVER_DLQ).asText()).isEqualTo("orders-silver");
        JsonNode first = json.path("causes").get(0);
        assertThat(first.path("id").asText()).matches("q-[0-9a-f]{10}");
        assertThat(first.path("rule").asText()).isEqualTo("status_known");
        assertThat(first.path("field").asText()).isEqualTo("status");
        assertThat(first.path("contract").asText()).isEqualTo("orders-shape@2");
        assertThat(first.path("records").asLong()).isEqualTo(3);
        assertThat(first.path("trend")).hasSize(8);
        assertThat(first.path("trend").get(1).path("start").asText()).isEqualTo("2026-11-29T00:00:00Z");
        assertThat(first.path("trend").get(1).path("records").asLong()).isEqualTo(2);
        JsonNode silver = null;
        for (JsonNode c : json.path("causes")) {
            if ("orders-silver".equals(c.path("connector").asText())) {
                silver = c;
            }
        }
        assertThat(silver).isNotNull();
        assertThat(silver.path("message").asText()).isEqualTo(SILVER_REJECTS);
        assertThat(silver.path("stage").asText()).isEqualTo("TRANSFORMATION");
        assertThat(silver.path("examples").get(0).path("replay_of").asText()).isEqualTo("orders.events.v1/0/10");
    }

    @Test
    void theHtmlViewIsWellFormedWithATrendPerCauseAndEscapesWhatItShows() throws Exception {
        String page = DefectsHtml.page(DefectFixtures.plan(), triage(), NOW);
        noValueIn(page);
        assertThat(page).doesNotContain("<script>").contains("Bad&lt;script&gt;").contains("a &amp; b &lt;b&gt;\uFFFD");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(page.getBytes(StandardCharsets.UTF_8)));
        NodeList rows = (NodeList) xpath.evaluate("//table[@class='defects']/tr[td]", doc, XPathConstants.NODESET);
        assertThat(rows.getLength()).isEqualTo(4);
        Element first = (Element) rows.item(0);
        assertThat(first.getAttribute("data-cause"))
                .isEqualTo(DefectCause.quarantine("orders-shape@2", "status_known", "status").id());
        NodeList bars = (NodeList) xpath.evaluate(".//*[local-name()='svg'][@class='trend']/*[local-name()='rect']",
                first, XPathConstants.NODESET);
        assertThat(bars.getLength()).isEqualTo(2);
        assertThat(((Element) bars.item(0)).getAttribute("data-name")).isEqualTo("2026-11-28: 1");
        assertThat(((Element) bars.item(1)).getAttribute("data-name")).isEqualTo("2026-11-29: 2");
        // The busier day's column is twice as tall.
        assertThat(Double.parseDouble(((Element) bars.item(1)).getAttribute("height")))
                .isEqualTo(2 * Double.parseDouble(((Element) bars.item(0)).getAttribute("height")));
        assertThat(xpath.evaluate("string(//table[@class='defects']/tr[td][1]/td[7])", doc))
                .isEqualTo("orders.events.v1.quarantine/0/0orders.events.v1.quarantine/0/1"
                        + "orders.events.v1.quarantine/1/0");
    }

    @Test
    void theAuditPageGainsADefectsSectionBeforeItsFooter() throws Exception {
        String audit = dev.truthline.audit.HtmlReport.cannotJudge(new dev.truthline.audit.HtmlReport.Heading("p", "t",
                null, null, NOW), "reason");
        StringBuilder section = new StringBuilder();
        DefectsHtml.section(section, DefectFixtures.plan(), triage());
        String page = DefectsHtml.addTo(audit, section.toString());
        noValueIn(page);
        assertThat(page.indexOf("<h2 id=\"defects\">Defects</h2>")).isGreaterThan(page.indexOf("Cannot judge"))
                .isLessThan(page.indexOf("<footer>"));
        DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(page.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void defectsTheAuditCannotReadAreSaidInTheSectionAndLeaveTheAuditsPageWhole() throws Exception {
        String audit = dev.truthline.audit.HtmlReport.cannotJudge(new dev.truthline.audit.HtmlReport.Heading("p", "t",
                null, null, NOW), "reason");
        dev.truthline.audit.AuditSettings settings = dev.truthline.audit.AuditSettings.fromArguments(
                List.of("connectors=" + System.getProperty("truthline.orders.dir")));
        String page = AuditDefects.addTo(audit, settings.connectorConfigs(),
                new dev.truthline.audit.ConfigValues(java.util.Map.of()), settings);
        assertThat(page).contains("<h2 id=\"defects\">Defects</h2>\n<p class=\"none\">The defects could not be read: "
                + "orders-silver refers to values").contains("${env:TRUTHLINE_KAFKA_BOOTSTRAP}");
        assertThat(page.replaceFirst("(?s)<h2 id=\"defects\">.*?</p>\n", "")).isEqualTo(audit);
    }

    @Test
    void triageWritesItsPageAndJsonAndExitsZeroWhateverTheDefects() throws Exception {
        Path html = dir.resolve("out/defects.html");
        Path json = dir.resolve("out/defects.json");
        TriageSettings settings = TriageSettings.fromArguments(List.of("connectors=/p", "format=json",
                "htmlOutput=" + html, "jsonOutput=" + json, "since=7d"), NOW);
        StringWriter s = new StringWriter();
        int exit = TriageMain.report(DefectFixtures.plan(), triage(), settings, NOW, new PrintWriter(s));
        assertThat(exit).isZero();
        noValueIn(s.toString());
        assertThat(new ObjectMapper().readTree(s.toString()).path("totals").path("causes").asLong()).isEqualTo(4);
        assertThat(Files.readString(json)).isEqualTo(s.toString().strip());
        noValueIn(Files.readString(html));
        assertThat(Files.readString(html)).contains("<title>Truthline triage: orders.events.v1</title>");
    }
}
