package dev.truthline.cli.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class AvroContractFormatTest {

    private static final Schema ORDER = new Schema.Parser().parse("""
            {"type": "record", "name": "Order", "namespace": "shop", "fields": [
              {"name": "id", "type": "long"},
              {"name": "tags", "type": {"type": "map", "values": {"type": "record", "name": "Tag",
                "fields": [{"name": "weight", "type": "int"}]}}},
              {"name": "lines", "type": {"type": "array", "items": {"type": "array", "items": "int"}}},
              {"name": "hash", "type": {"type": "fixed", "name": "Hash", "size": 16}}
            ]}""");

    @Test
    void avroLocationsAreNamedByFieldWithArraysAndMapsMarked() {
        assertThat(AvroContractFormat.path(ORDER, "/fields/0/type")).isEqualTo("Order.id");
        assertThat(AvroContractFormat.path(ORDER, "/fields/1/type/values/fields/0/type")).isEqualTo("Order.tags{}.weight");
        assertThat(AvroContractFormat.path(ORDER, "/fields/2/type/items/items")).isEqualTo("Order.lines[][]");
        assertThat(AvroContractFormat.path(ORDER, "/fields/3/type/size")).isEqualTo("Order.hash size");
        assertThat(AvroContractFormat.path(ORDER, "/")).isEqualTo("Order");
        assertThat(AvroContractFormat.path(Schema.create(Schema.Type.STRING), "/")).isEqualTo("string");
    }

    @Test
    void fixedSizeChangeIsReportedAtItsSize() throws ContractException {
        String wider = ORDER.toString().replace("\"size\":16", "\"size\":32");
        List<BreakingChange> changes = new AvroContractFormat().compare(ORDER.toString(), wider, Compatibility.BACKWARD);
        assertThat(changes).extracting(BreakingChange::kind, BreakingChange::path, BreakingChange::location)
                .containsExactly(tuple("FIXED_SIZE_MISMATCH", "Order.hash size", "/fields/3/type/size"));
    }
}
