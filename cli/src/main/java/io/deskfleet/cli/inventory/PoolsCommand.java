package io.deskfleet.cli.inventory;

import io.deskfleet.api.inventory.DesktopPool;
import io.deskfleet.api.inventory.DesktopPoolList;
import io.deskfleet.cli.Session;
import io.deskfleet.cli.http.ApiClient;
import io.deskfleet.cli.http.Query;
import io.deskfleet.cli.output.OutputOptions;
import io.deskfleet.cli.output.PageOptions;
import io.deskfleet.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "pools", description = "Lists the desktop pools of the project.")
public final class PoolsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    OutputOptions output;
    @Mixin
    PageOptions page;

    @Override
    public Integer call() {
        Session session = Session.current();
        ApiClient.Response response = session.api().get(session.path("/desktop-pools") + page.addTo(new Query()));
        PrintWriter out = spec.commandLine().getOut();
        if (output.printedAsJson(response.body(), out)) {
            return 0;
        }
        DesktopPoolList list = response.as(DesktopPoolList.class);
        Table table = new Table("ID", "NAME", "TYPE", "DESKTOPS", "ONLINE", "CREATED");
        for (DesktopPool pool : list.desktopPools()) {
            table.add(pool.id(), pool.name(), pool.type(), pool.desktopCount(), pool.desktopUsed(), pool.createdTime());
        }
        out.print(table.render());
        out.print(PageOptions.more(table.size(), list.totalCount()));
        return 0;
    }
}
