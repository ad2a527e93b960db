package dev.truthline.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML page as a browser draws it: headless Chromium takes a screenshot of a page built from a hand-made audit
 * result with a reconciliation, and the picture must be the right size, mostly not blank, and show every fate's
 * colour (the flow's bars and the fate table's swatches) and the reconciliation states' swatches. Skipped where Chromium is not installed; {@code .ci/run} installs it. The last
 * screenshot stays at {@code target/audit-report.png} to look at.
 */
class HtmlReportScreenshotTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 2900;

    @TempDir
    Path dir;

    @Test
    void chromiumDrawsThePageWithEveryFatesColour() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "headless Chromium is not installed at " + CHROMIUM
                + ": install it with `apt-get install chromium` (.ci/run does) to run the screenshot test");
        Path page = dir.resolve("audit.html");
        HtmlReport.write(HtmlReport.page(SampleAudit.heading(), SampleAudit.lying(), SampleAudit.latency(), 2,
                SampleAudit.reconcilePlan(), SampleAudit.reconciled()), page);
        Path png = dir.resolve("audit.png");

        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                "--user-data-dir=" + Files.createDirectory(dir.resolve("profile")),
                "--screenshot=" + png, "--window-size=" + WIDTH + "," + HEIGHT, page.toUri().toString()));
        Process chromium = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("chromium.log").toFile()).start();
        boolean exited = chromium.waitFor(180, TimeUnit.SECONDS);
        if (!exited) {
            chromium.descendants().forEach(ProcessHandle::destroyForcibly);
            chromium.destroyForcibly();
        }
        String log = Files.readString(dir.resolve("chromium.log"));
        assertThat(exited).as("Chromium did not finish within 180 s: %s", log).isTrue();
        assertThat(png).as("no screenshot; Chromium said: %s", log).exists();

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("the screenshot does not decode as PNG").isNotNull();
        Files.createDirectories(Path.of("target"));
        Files.copy(png, Path.of("target", "audit-report.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(image.getWidth()).isEqualTo(WIDTH);
        assertThat(image.getHeight()).isEqualTo(HEIGHT);

        long notWhite = 0;
        int[] fates = new int[Fate.values().length];
        java.util.Map<String, Integer> states = new java.util.HashMap<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                if (rgb != 0xffffff) {
                    notWhite++;
                }
                for (Fate f : Fate.values()) {
                    if (near(rgb, Integer.parseInt(HtmlReport.COLOURS.get(f).substring(1), 16))) {
                        fates[f.ordinal()]++;
                    }
                }
                for (String state : Reconciliation.STATES) {
                    if (near(rgb, Integer.parseInt(ReconciliationHtml.COLOURS.get(state).substring(1), 16))) {
                        states.merge(state, 1, Integer::sum);
                    }
                }
            }
        }
        // The page background is not white and the content is: a blank or failed render is one colour.
        assertThat(notWhite).as("pixels that are not white").isBetween((long) (WIDTH * HEIGHT * 0.05),
                (long) (WIDTH * HEIGHT * 0.95));
        for (Fate f : Fate.values()) {
            // The smallest, three unexplained events of 6,080, is a 3-pixel bar of the flow and a table swatch.
            assertThat(fates[f.ordinal()]).as("pixels in %s's colour %s", f.label(), HtmlReport.COLOURS.get(f))
                    .isGreaterThanOrEqualTo(100);
        }
        // The reconciliation's table, below the fates: every state's swatch (12 by 12 pixels) is drawn.
        for (String state : List.of("stale", "absent", "extra")) {
            assertThat(states.getOrDefault(state, 0)).as("pixels in %s's colour %s", state,
                    ReconciliationHtml.COLOURS.get(state)).isGreaterThanOrEqualTo(100);
        }
    }

    private static boolean near(int rgb, int colour) {
        return Math.abs((rgb >> 16 & 0xff) - (colour >> 16 & 0xff)) <= 4
                && Math.abs((rgb >> 8 & 0xff) - (colour >> 8 & 0xff)) <= 4
                && Math.abs((rgb & 0xff) - (colour & 0xff)) <= 4;
    }
}
