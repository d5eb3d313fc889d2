package io.deskfleet.cli.inventory;

import io.deskfleet.api.inventory.CreatePoolRequest;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "pools", description = "Lists the desktop pools of the project; 'pools create' adds one.",
        subcommands = PoolsCommand.Create.class)
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

    @Command(name = "create", description = {"Creates a pool; prints its id (POOL=$(deskfleet pools create --name lab)).",
            "A name already used in the project is refused (409), and nothing is printed on stdout."})
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--name", required = true, description = "Unique in the project, 1-255 characters.")
        String name;

        @Option(names = "--type", defaultValue = "DYNAMIC", paramLabel = "DYNAMIC|STATIC",
                description = "Default DYNAMIC.")
        String type;

        @Option(names = "--description")
        String description;

        @Override
        public Integer call() {
            Session session = Session.current();
            CreatePoolRequest body = new CreatePoolRequest(name, description, type.toUpperCase(java.util.Locale.ROOT));
            DesktopPool pool = session.api().post(session.path("/desktop-pools"), body).as(DesktopPool.class);
            spec.commandLine().getOut().println(pool.id());
            return 0;
        }
    }
}
