package io.deskfleet.cli.script;

import io.deskfleet.api.script.CreateScriptRequest;
import io.deskfleet.api.script.ScriptIdResponse;
import io.deskfleet.api.script.ScriptListResponse;
import io.deskfleet.api.script.ScriptSummary;
import io.deskfleet.api.script.ScriptType;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "scripts", description = "Lists the stored scripts; 'scripts create' and 'scripts delete' change them.",
        subcommands = {ScriptsCommand.Create.class, ScriptsCommand.Delete.class})
public final class ScriptsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    OutputOptions output;
    @Mixin
    PageOptions page;

    @Option(names = "--name", description = "Only scripts with this name.")
    String name;

    @Option(names = "--type", paramLabel = "SHELL|POWERSHELL|BAT")
    ScriptType type;

    @Override
    public Integer call() {
        Session session = Session.current();
        Query query = page.addTo(new Query().add("name", name).add("type", type));
        ApiClient.Response response = session.api().get(session.path("/scripts") + query);
        PrintWriter out = spec.commandLine().getOut();
        if (output.printedAsJson(response.body(), out)) {
            return 0;
        }
        ScriptListResponse list = response.as(ScriptListResponse.class);
        Table table = new Table("ID", "NAME", "TYPE", "VERSION", "UPDATED", "DESCRIPTION");
        for (ScriptSummary script : list.scripts()) {
            table.add(script.id(), script.name(), script.type(), script.version(), script.updateTime(),
                    script.description());
        }
        out.print(table.render());
        out.print(PageOptions.more(table.size(), list.count()));
        return 0;
    }

    @Command(name = "create", description = "Stores a script read from a file; prints its id.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--name", required = true)
        String name;

        @Option(names = "--type", required = true, paramLabel = "SHELL|POWERSHELL|BAT")
        ScriptType type;

        @Option(names = "--file", required = true, paramLabel = "PATH", description = "The script's content (UTF-8).")
        Path file;

        @Option(names = "--description")
        String description;

        @Override
        public Integer call() {
            Session session = Session.current();
            CreateScriptRequest body = new CreateScriptRequest(name, type.name(), content(), description, null);
            String id = session.api().post(session.path("/scripts"), body).as(ScriptIdResponse.class).scriptId();
            spec.commandLine().getOut().println(id);
            return 0;
        }

        private String content() {
            try {
                return Files.readString(file);
            } catch (MalformedInputException e) {
                throw new ParameterException(spec.commandLine(), "--file " + file + " is not UTF-8 text");
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "cannot read --file " + file + ": " + e);
            }
        }
    }

    @Command(name = "delete", description = "Deletes scripts by id.")
    static final class Delete implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "SCRIPT_ID")
        List<String> ids;

        @Override
        public Integer call() {
            Session session = Session.current();
            for (String id : ids) {
                session.api().delete(session.path("/scripts/" + Query.segment(id)));
                spec.commandLine().getOut().println("deleted " + id);
            }
            return 0;
        }
    }
}
