package dev.truthline.cli.contracts;

import java.util.List;

/**
 * ODCS v3 data contracts ({@code .odcs.yaml}). Recognised so that a folder of contracts is checked
 * file by file, but not judged yet: the contract model comes with ValidateContract's ODCS support,
 * and this class is where it plugs in.
 */
final class OdcsContractFormat implements ContractFormat {

    @Override
    public String description() {
        return "ODCS v3 data contract";
    }

    @Override
    public boolean reads(String fileName) {
        return fileName.endsWith(".odcs.yaml") || fileName.endsWith(".odcs.yml");
    }

    @Override
    public String validate(String text) throws ContractException {
        throw notYet();
    }

    @Override
    public List<BreakingChange> compare(String oldText, String newText, Compatibility compatibility) throws ContractException {
        throw notYet();
    }

    private static ContractException notYet() {
        return new ContractException.Unsupported("ODCS contracts (.odcs.yaml) are not supported yet by truthline "
                + "contracts; Avro schemas (.avsc) are");
    }
}
