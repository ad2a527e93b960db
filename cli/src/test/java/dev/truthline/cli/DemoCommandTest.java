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
        int exit = cli.execute("demo", "--records", "5000", "--invalid-share", "0.2", "--seed", "7");

        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString())
                .contains("captured = valid + quarantined: 5,000 =")
                .containsPattern("misjudged records: 0 +OK")
                .contains("dq.status = invalid")
                .contains("dq.contract = orders@1")
                .doesNotContain("MISMATCH");
    }
}
