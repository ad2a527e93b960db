package dev.truthline.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The audit's HTML page: its structure, its counts, and every text from the stores escaped. */
class HtmlReportTest {

    private final XPath xpath = XPathFactory.newInstance().newXPath();

    @Test
    void theLyingAuditsPageShowsTheVerdictTheFlowAndEveryUnexplainedEvent() throws Exception {
        String page = HtmlReport.page(SampleAudit.heading(), SampleAudit.lying(), SampleAudit.latency(), 2);
        Document doc = parse(page);

        assertThat(text(doc, "/html/head/title")).isEqualTo("Truthline audit: " + SampleAudit.heading().pipeline());
        assertThat(text(doc, "//p[@class='meta'][2]")).contains("2026-12-04 18:30:00 UTC");
        assertThat(text(doc, "//p[@class='meta'][3]")).contains("p0 [0, 6080)");
        assertThat(text(doc, "//div[contains(@class,'verdict')]/@class")).isEqualTo("verdict unexplained");
        assertThat(text(doc, "//div[contains(@class,'verdict')]"))
                .startsWith("3 unexplained events, 1 row with no captured event")
                .contains("of 6,080 captured events; exit 1.");

        // The fate table: every fate, its count and share of the captured events.
        assertThat(cells(doc, "//table[@class='fates']/tr[td]", 1)).containsExactly("4,731", "149", "181", "1,016", "3");
        assertThat(cells(doc, "//table[@class='fates']/tr[td]", 2))
                .containsExactly("77.8%", "2.5%", "3.0%", "16.7%", "<0.1%");

        // The flow: the captured bar and one bar and one band per fate any event met, in the fates' colours.
        NodeList bars = nodes(doc, "//*[local-name()='svg'][@class='flow']/*[local-name()='rect']");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < bars.getLength(); i++) {
            Element bar = (Element) bars.item(i);
            names.add(bar.getAttribute("data-name"));
            if (!"captured".equals(bar.getAttribute("data-name"))) {
                assertThat(bar.getAttribute("fill"))
                        .isEqualTo(HtmlReport.COLOURS.get(Fate.valueOf(bar.getAttribute("data-name").toUpperCase())));
                // Three unexplained events of 6,080 still show.
                assertThat(Double.parseDouble(bar.getAttribute("height"))).isGreaterThanOrEqualTo(3);
            }
        }
        assertThat(names).containsExactly("captured", "landed", "quarantined", "dead_lettered", "duplicate", "unexplained");
        assertThat(nodes(doc, "//*[local-name()='svg'][@class='flow']/*[local-name()='path']").getLength()).isEqualTo(5);
        assertThat(text(doc, "//*[local-name()='svg'][@class='flow']")).contains("6,080 events").contains("landed  4,731")
                .contains("77.8% of captured");

        // The latency histogram: its bars are the buckets that hold events, with their counts.
        NodeList latencyBars = nodes(doc, "//*[local-name()='svg'][@class='latency']/*[local-name()='rect']");
        assertThat(latencyBars.getLength()).isEqualTo(5);
        assertThat(((Element) latencyBars.item(1)).getAttribute("data-name")).isEqualTo("< 1 s");
        assertThat(text(doc, "//*[local-name()='svg'][@class='latency']")).contains("1,905").contains("< 500 ms");
        assertThat(page).contains("Median 980 ms, 95th percentile 3.4 s, slowest 8.1 s over 4,727 events.")
                .contains("4 landed events without a source time");

        // Per rule and per reason; the dead letters without context.
        assertThat(text(doc, "//h2[.='Quarantined per rule']/following-sibling::table[1]"))
                .contains("customer_required").contains("90").contains(SampleAudit.HOSTILE_RULE);
        assertThat(text(doc, "//h2[.='Dead-lettered per reason']/following-sibling::table[1]"))
                .contains("failed rules currency_iso").contains("120").contains("61");
        assertThat(page).contains("2 dead letters carry no context headers");

        // Every unexplained event by position and key, the extra row by position and row.
        assertThat(cells(doc, "//table[@class='unexplained']/tr[td]", 2)).containsExactly("17", "4242", "9");
        assertThat(cells(doc, "//table[@class='unexplained']/tr[td]", 4))
                .containsExactly("{\"order_id\":17}", SampleAudit.HOSTILE_KEY.replace('\u0001', '\uFFFD'), "(no key)");
        assertThat(cells(doc, "//table[@class='rows']/tr[td]", 3))
                .containsExactly("/warehouse/silver/orders/data/00001-0-a.parquet#12");
    }

    @Test
    void theReconciliationShowsItsCountsNotComparedColumnsAndTheRejectedChangeOfEachKey() throws Exception {
        String page = HtmlReport.page(SampleAudit.heading(), SampleAudit.explained(), SampleAudit.latency(), 0,
                SampleAudit.reconcilePlan(), SampleAudit.reconciled());
        Document doc = parse(page);

        // The fates are explained, two keys are not: the verdict is red and says so.
        assertThat(text(doc, "//div[contains(@class,'verdict')]/@class")).isEqualTo("verdict unexplained");
        assertThat(text(doc, "//div[contains(@class,'verdict')]")).startsWith("2 unexplained keys in orders_current");
        assertThat(text(doc, "//h2[@id='reconciliation']")).isEqualTo(
                "Current state: orders_current against public.orders, by key");
        assertThat(page).contains("10,170 source rows, 9,529 current rows (written by orders-warehouse)");
        assertThat(text(doc, "//p[span[@class='cols']]")).startsWith("Not compared: customer_id (protected");
        assertThat(cells(doc, "//table[@class='reconciliation']/tr[td]", 0))
                .containsExactly("equal", "stale", "absent", "extra", "unexplained");
        assertThat(cells(doc, "//table[@class='reconciliation']/tr[td]", 1))
                .containsExactly("9,125", "404", "641", "0", "2");

        // Stale and absent keys with the change that explains them; unexplained ones with their row only.
        assertThat(cells(doc, "//table[@class='keys stale']/tr[td]", 0))
                .containsExactly("17", SampleAudit.HOSTILE_KEY.replace('\u0001', '\uFFFD'));
        assertThat(cells(doc, "//table[@class='keys stale']/tr[td]", 2))
                .containsExactly(SampleAudit.TOPIC + "/0/4410", SampleAudit.TOPIC + ".quarantine/1/88");
        assertThat(cells(doc, "//table[@class='keys stale']/tr[td]", 4)).containsExactly(
                "orders-warehouse: Record violates contract orders@2: failed rules currency_iso",
                "quarantined: " + SampleAudit.HOSTILE_RULE);
        assertThat(text(doc, "//h3[.='stale keys']/following-sibling::p[1]")).isEqualTo("2 of 404 listed (--list-limit).");
        assertThat(cells(doc, "//table[@class='keys absent']/tr[td]", 3)).containsExactly("24001112");
        assertThat(cells(doc, "//table[@class='keys unexplained']/tr[td]", 0)).containsExactly("1", "6");
        assertThat(nodes(doc, "//table[@class='keys unexplained']/tr[1]/th").getLength()).isEqualTo(2);
        assertThat(nodes(doc, "//table[@class='keys extra']").getLength()).isZero();
        // Keys and rules are text, never markup; no credential of either database is on the page.
        assertThat(page).doesNotContain("<script").doesNotContain("<b>").doesNotContain("PASSWORD")
                .doesNotContain("jdbc:");
    }

    @Test
    void aReconciliationThatExplainsEverythingKeepsTheVerdictGreen() throws Exception {
        Reconciliation.Result r = SampleAudit.reconciled();
        java.util.Map<String, Long> counts = new java.util.LinkedHashMap<>(r.counts());
        counts.put("unexplained", 0L);
        Document doc = parse(HtmlReport.page(SampleAudit.heading(), SampleAudit.explained(), SampleAudit.latency(), 0,
                SampleAudit.reconcilePlan(), new Reconciliation.Result(counts, r.examples(), 10_170L, 9_529L)));
        assertThat(text(doc, "//div[contains(@class,'verdict')]/@class")).isEqualTo("verdict explained");
        // Without a reconciliation there is no section.
        assertThat(nodes(parse(HtmlReport.page(SampleAudit.heading(), SampleAudit.explained(), SampleAudit.latency(),
                0)), "//h2[@id='reconciliation']").getLength()).isZero();
    }

    @Test
    void keysRulesAndReasonsAreTextNeverMarkup() throws Exception {
        String page = HtmlReport.page(SampleAudit.heading(), SampleAudit.lying(), SampleAudit.latency(), 0);

        assertThat(page).doesNotContain("<script").doesNotContain("<b>").doesNotContain("\u0001")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; \uFFFD")
                .contains("status_known&lt;b&gt;&amp;amp;");
        // Self-contained: no script, no external resource of any kind.
        assertThat(page).doesNotContainPattern("(?i)<script|<link|<img|<iframe|src=|href=|url\\(|@import");
        assertThat(parse(page).getElementsByTagName("script").getLength()).isZero();
    }

    @Test
    void replayedEventsAreListedWithTheirHistoriesOnlyWhenThereAreAny() throws Exception {
        Document doc = parse(HtmlReport.page(SampleAudit.heading(), SampleAudit.replayed(),
                LandingLatency.Histogram.empty(5), 0));

        assertThat(text(doc, "//table[@class='replayed']/preceding-sibling::h2[1]")).isEqualTo("Replayed events");
        assertThat(cells(doc, "//table[@class='replayed']/tr[td]", 3)).containsExactly("landed", "dead_lettered");
        assertThat(cells(doc, "//table[@class='replayed']/tr[td]", 4)).first().asString()
                .startsWith("quarantined (status_known) → replayed replay-20261205T041200Z as ");
        assertThat(text(doc, "//body")).contains("3 captured events met their fate through truthline replay")
                .contains("2 of 3 listed");
        assertThat(HtmlReport.page(SampleAudit.heading(), SampleAudit.replayed(), LandingLatency.Histogram.empty(5), 0))
                .contains("failed &lt;rules&gt;");
        assertThat(nodes(parse(HtmlReport.page(SampleAudit.heading(), SampleAudit.explained(),
                LandingLatency.Histogram.empty(5), 0)), "//table[@class='replayed']").getLength()).isZero();
    }

    @Test
    void escapesMarkupQuotesAndCharactersNoDocumentMayHold() {
        assertThat(HtmlReport.esc("a<b>&\"c'")).isEqualTo("a&lt;b&gt;&amp;&quot;c&#39;");
        assertThat(HtmlReport.esc("x\u0000y\u001by\tz\n")).isEqualTo("x\uFFFDy\uFFFDy\tz\n");
        assertThat(HtmlReport.esc("\uD83D\uDE00 ok \uD83D")).isEqualTo("\uD83D\uDE00 ok \uFFFD");
        assertThat(HtmlReport.esc(null)).isEmpty();
    }

    @Test
    void anExplainedAuditHasAGreenVerdictAndNoListOfUnexplainedEvents() throws Exception {
        Document doc = parse(HtmlReport.page(SampleAudit.heading(), SampleAudit.explained(),
                LandingLatency.Histogram.empty(5), 0));

        assertThat(text(doc, "//div[contains(@class,'verdict')]/@class")).isEqualTo("verdict explained");
        assertThat(text(doc, "//div[contains(@class,'verdict')]")).startsWith("Every captured event explained")
                .contains("7 events").contains("exit 0");
        assertThat(nodes(doc, "//table[@class='unexplained']").getLength()).isZero();
        assertThat(nodes(doc, "//table[@class='rows']").getLength()).isZero();
        // Only the fates some event met are drawn.
        assertThat(nodes(doc, "//*[local-name()='svg'][@class='flow']/*[local-name()='rect']").getLength()).isEqualTo(4);
        assertThat(nodes(doc, "//*[local-name()='svg'][@class='latency']").getLength()).isZero();
        assertThat(text(doc, "//body")).contains("No landed event could be measured.")
                .contains("5 landed events without a source time");
    }

    @Test
    void theLatencyChartShowsTheBucketsAroundTheData() throws Exception {
        long[] counts = new long[LandingLatency.BOUNDS_MS.length + 1];
        counts[10] = 1_810; // 45 s to 1 min: a loaded machine's demo
        Document doc = parse(HtmlReport.page(SampleAudit.heading(), SampleAudit.explained(),
                new LandingLatency.Histogram(LandingLatency.buckets(counts), 1_810, 0, 53_600L, 58_500L, 59_000L), 0));

        String chart = text(doc, "//*[local-name()='svg'][@class='latency']");
        assertThat(chart).contains("< 45 s").contains("< 1 min").contains("1,810").contains("< 2 min")
                .doesNotContain("< 100 ms").doesNotContain("< 30 s");
        assertThat(nodes(doc, "//*[local-name()='svg'][@class='latency']/*[local-name()='text']").getLength())
                .as("six buckets, two texts each, and the caption").isEqualTo(13);
    }

    @Test
    void anAuditThatCannotJudgeSaysWhyOnAGreyBanner() throws Exception {
        Document doc = parse(HtmlReport.cannotJudge(SampleAudit.heading(),
                "the change topic <orders.events.v1> does not exist"));

        assertThat(text(doc, "//div[contains(@class,'verdict')]/@class")).isEqualTo("verdict cannot-judge");
        assertThat(text(doc, "//div[contains(@class,'verdict')]")).startsWith("Cannot judge (exit 2)")
                .contains("the change topic <orders.events.v1> does not exist");
        assertThat(nodes(doc, "//*[local-name()='svg']").getLength()).isZero();
    }

    @Test
    void theRangeNamesEachTopicsPartitionsAndTheOffsetsOfThoseThatHoldAny() {
        java.util.Map<org.apache.kafka.common.TopicPartition, TopicRanges.Range> ranges = new java.util.LinkedHashMap<>();
        ranges.put(new org.apache.kafka.common.TopicPartition("t", 1), new TopicRanges.Range(5, 10));
        ranges.put(new org.apache.kafka.common.TopicPartition("t", 0), new TopicRanges.Range(0, 7));
        ranges.put(new org.apache.kafka.common.TopicPartition("t", 2), new TopicRanges.Range(3, 3));
        ranges.put(new org.apache.kafka.common.TopicPartition("t.quarantine", 0), new TopicRanges.Range(0, 1));

        assertThat(HtmlReport.range(ranges))
                .isEqualTo("t: 12 offsets in 3 partitions (p0 [0, 7), p1 [5, 10)); t.quarantine: 1 offsets in 1 partition "
                        + "(p0 [0, 1))");
    }

    /** The whole page as XML: well-formed, its SVG included, or the parser says where not. */
    static Document parse(String page) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setExpandEntityReferences(false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(page.getBytes(StandardCharsets.UTF_8)));
    }

    private String text(Document doc, String expr) throws Exception {
        return xpath.evaluate(expr, doc);
    }

    private NodeList nodes(Document doc, String expr) throws Exception {
        return (NodeList) xpath.evaluate(expr, doc, XPathConstants.NODESET);
    }

    private List<String> cells(Document doc, String rows, int column) throws Exception {
        NodeList list = nodes(doc, rows);
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < list.getLength(); i++) {
            cells.add(xpath.evaluate("td[" + (column + 1) + "]", list.item(i)));
        }
        return cells;
    }
}
