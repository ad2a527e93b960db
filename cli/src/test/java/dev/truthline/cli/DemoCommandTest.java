package dev.truthline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class DemoCommandTest {

    @Test
    void everyEventIsAccountedForAndEveryInjectedFaultIsCaught() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new Truthline());
        cli.setOut(new PrintWriter(out));
        int exit = cli.execute("demo", "--records", "5000", "--invalid-share", "0.2", "--duplicate-share", "0.1",
                "--rewind", "300", "--seed", "7");

        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString())
                .contains("captured = landed + quarantined + dropped as duplicate: 5,500 =")
                .containsPattern("misjudged: 0 +OK")
                .containsPattern("re-emitted copies of valid events dropped: [0-9,]+ of [0-9,]+ +OK")
                .containsPattern("Rewind: 300 records of partition 0 redelivered at their own offsets: [0-9,]+ landed "
                        + "records passed again \\(none lost\\), [0-9,]+ duplicates dropped again  OK")
                .contains("dq.status = invalid")
                .contains("dq.contract = orders@1")
                .doesNotContain("MISMATCH");
    }
}
