package dev.modelgate.gateway.cli;

import dev.modelgate.gateway.Gateway;
import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"modelgate " + Gateway.VERSION};
    }
}
