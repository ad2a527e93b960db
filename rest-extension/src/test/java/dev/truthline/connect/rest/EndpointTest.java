package dev.truthline.connect.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.truthline.connect.rest.ConfigCheckFilter.Endpoint;

/** Which REST calls have their connector configuration checked. */
class EndpointTest {

    @Test
    void checkedCalls() {
        assertThat(Endpoint.of("PUT", List.of("connector-plugins", "FileStreamSink", "config", "validate")))
                .isEqualTo(Endpoint.VALIDATE);
        assertThat(Endpoint.of("POST", List.of("connectors"))).isEqualTo(Endpoint.CREATE);
        assertThat(Endpoint.of("PUT", List.of("connectors", "orders", "config"))).isEqualTo(Endpoint.UPDATE);
        assertThat(Endpoint.of("PATCH", List.of("connectors", "orders", "config"))).isEqualTo(Endpoint.PATCH);
    }

    @Test
    void otherCalls() {
        assertThat(Endpoint.of("GET", List.of("connector-plugins", "FileStreamSink", "config", "validate"))).isNull();
        assertThat(Endpoint.of("GET", List.of("connectors"))).isNull();
        assertThat(Endpoint.of("GET", List.of("connectors", "orders", "config"))).isNull();
        assertThat(Endpoint.of("PUT", List.of("connectors", "orders", "pause"))).isNull();
        assertThat(Endpoint.of("POST", List.of("connectors", "orders", "restart"))).isNull();
        assertThat(Endpoint.of("PUT", List.of("connector-plugins", "FileStreamSink", "config"))).isNull();
    }
}
