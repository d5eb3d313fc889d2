package io.deskfleet.cli.inventory;

import io.deskfleet.api.inventory.Desktop;
import io.deskfleet.api.inventory.DesktopList;
import io.deskfleet.cli.Session;
import io.deskfleet.cli.http.ApiClient;
import io.deskfleet.cli.http.Query;
import io.deskfleet.cli.output.OutputOptions;
import io.deskfleet.cli.output.PageOptions;
import io.deskfleet.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "desktops", description = "Lists desktops (GET desktops/detail); filters combine with AND.")
public final class DesktopsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    OutputOptions output;
    @Mixin
    PageOptions page;

    @Option(names = "--pool", paramLabel = "POOL_ID")
    String poolId;

    @Option(names = "--tag", paramLabel = "KEY=VALUE")
    String tag;

    @Option(names = "--status", paramLabel = "ACTIVE|SHUTOFF|ERROR|HIBERNATED")
    String status;

    @Override
    public Integer call() {
        Session session = Session.current();
        Query query = page.addTo(new Query().add("pool_id", poolId).add("tag", tag).add("status", status));
        ApiClient.Response response = session.api().get(session.path("/desktops/detail") + query);
        PrintWriter out = spec.commandLine().getOut();
        if (output.printedAsJson(response.body(), out)) {
            return 0;
        }
        DesktopList list = response.as(DesktopList.class);
        Table table = new Table("ID", "NAME", "POOL", "STATUS", "AGENT", "TAGS");
        for (Desktop desktop : list.desktops()) {
            table.add(desktop.desktopId(), desktop.computerName(), desktop.desktopPoolId(), desktop.status(),
                    desktop.agentOnline() ? "online" : "offline", tags(desktop));
        }
        out.print(table.render());
        out.print(PageOptions.more(table.size(), list.totalCount()));
        return 0;
    }

    private static String tags(Desktop desktop) {
        if (desktop.tags() == null) {
            return "";
        }
        return desktop.tags().stream().map(tag -> tag.key() + "=" + tag.value()).collect(Collectors.joining(","));
    }
}
