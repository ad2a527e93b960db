package dev.truthline.cli.contracts;

import java.util.List;

/** The contract formats {@code truthline contracts} knows, looked up by file name. */
public final class ContractFormats {

    static final List<ContractFormat> ALL = List.of(new AvroContractFormat(), new OdcsContractFormat());

    private ContractFormats() {
    }

    /** The format of a file, or null when its name is not that of a known contract format. */
    public static ContractFormat forFile(String fileName) {
        for (ContractFormat format : ALL) {
            if (format.reads(fileName)) {
                return format;
            }
        }
        return null;
    }

    static String knownExtensions() {
        return ".avsc (Avro schema), .odcs.yaml / .odcs.yml (ODCS v3 data contract)";
    }
}
