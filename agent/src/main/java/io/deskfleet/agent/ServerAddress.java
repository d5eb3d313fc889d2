package io.deskfleet.agent;

import picocli.CommandLine;

import java.net.InetSocketAddress;

/** One address of {@code --server HOST:PORT[,HOST:PORT...]}; an IPv6 host is written in brackets, e.g. {@code [::1]:9090}. */
record ServerAddress(String host, int port) {

    /** Not looked up here: the channel resolves names, again after a failure. */
    InetSocketAddress unresolved() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    static final class Converter implements CommandLine.ITypeConverter<ServerAddress> {
        @Override
        public ServerAddress convert(String value) {
            int colon = value.lastIndexOf(':');
            if (colon <= 0 || colon == value.length() - 1) {
                throw new CommandLine.TypeConversionException("expected HOST:PORT but was '" + value + "'");
            }
            String host = value.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(value.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new CommandLine.TypeConversionException("invalid port in '" + value + "'");
            }
            return new ServerAddress(host, port);
        }
    }
}
