package io.deskfleet.cli.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.cli.DeskfleetCli;
import io.deskfleet.cli.http.Json;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunCommandTest {

    /** Parses a run command line and returns the call it would make, without any network. */
    static RunCommand.Call plan(String... args) {
        CommandLine root = DeskfleetCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        String[] full = new String[args.length + 1];
        full[0] = "run";
        System.arraycopy(args, 0, full, 1, args.length);
        CommandLine.ParseResult result = root.parseArgs(full);
        CommandLine run = result.subcommand().commandSpec().commandLine();
        return ((RunCommand) run.getCommand()).plan();
    }

    static JsonNode body(RunCommand.Call call) throws Exception {
        return Json.MAPPER.readTree(Json.write(call.body()));
    }

    @Test
    void aCommandOnAPoolWithAGrayBatchMapsToTheContractFields() throws Exception {
        RunCommand.Call call = plan("--command", "hostname", "--pool", "p1", "--gray-count", "2",
                "--gray-fail-threshold", "1", "--max-concurrency", "25%", "--timeout", "5");
        assertEquals("/desktop-pools/p1/script-executions", call.path());
        assertEquals(Json.MAPPER.readTree("""
                {"command_content":"hostname","command_type":"SHELL","gray_count":2,"gray_fail_threshold":1,
                 "max_concurrency":"25%","execution_timeout":5}"""), body(call));
    }

    @Test
    void aPoolSubsetWithGrayDesktopsAndAnotherInterpreter() throws Exception {
        RunCommand.Call call = plan("--command", "Get-Date", "--type", "powershell", "--pool", "p1",
                "--desktops", "d1,d2,d3", "--gray-desktops", "d2");
        assertEquals(Json.MAPPER.readTree("""
                {"command_content":"Get-Date","command_type":"POWERSHELL","desktop_ids":["d1","d2","d3"],
                 "gray_desktop_ids":["d2"]}"""), body(call));
    }

    @Test
    void scriptsOnATagUseTheByDesktopTagEndpoint() throws Exception {
        RunCommand.Call call = plan("--script", "s1,s2", "--tag", "team=qa", "--gray-count", "1");
        assertEquals("/script-executions/by-desktop-tag", call.path());
        assertEquals(Json.MAPPER.readTree("""
                {"desktop_tag":"team=qa","script_ids":["s1","s2"],"gray_count":1}"""), body(call));
    }

    @Test
    void desktopsAloneUseTheGenericEndpointWithResourceFields() throws Exception {
        RunCommand.Call call = plan("--script", "s1", "--script", "s2", "--desktops", "d1,d2",
                "--gray-desktops", "d1", "--gray-fail-threshold", "1");
        assertEquals("/script-executions", call.path());
        assertEquals(Json.MAPPER.readTree("""
                {"resource_type":"DESKTOP","resource_ids":["d1","d2"],"gray_resource_ids":["d1"],
                 "gray_fail_threshold":1,"script_ids":["s1","s2"]}"""), body(call));
    }

    @Test
    void idsArePercentEncodedInThePath() {
        assertEquals("/desktop-pools/a%2Fb%20c/script-executions", plan("--command", "x", "--pool", "a/b c").path());
    }

    @Test
    void contradictoryOrMissingChoicesAreUsageErrors() {
        assertUsage("give either --command or --script", "--pool", "p");
        assertUsage("give either --command or --script", "--command", "x", "--script", "s", "--pool", "p");
        assertUsage("give one target", "--command", "x");
        assertUsage("give one target", "--command", "x", "--pool", "p", "--tag", "a=b");
        assertUsage("give one target", "--script", "s", "--tag", "a=b", "--desktops", "d");
        assertUsage("stored scripts only", "--command", "x", "--desktops", "d1");
        assertUsage("--type applies to --command only", "--script", "s", "--type", "BAT", "--pool", "p");
    }

    @Test
    void badOptionValuesAreUsageErrors() {
        assertThrows(CommandLine.ParameterException.class, () -> plan("--command", "x", "--pool", "p", "--type", "PERL"));
        assertThrows(CommandLine.ParameterException.class,
                () -> plan("--command", "x", "--pool", "p", "--gray-count", "two"));
    }

    @Test
    void usageErrorsExitWithTwoAndOneMessage() {
        StringWriter err = new StringWriter();
        int code = DeskfleetCli.run(new String[] {"run", "--pool", "p"}, new PrintWriter(new StringWriter()),
                new PrintWriter(err));
        assertEquals(2, code);
        assertTrue(err.toString().startsWith("give either --command or --script"), err.toString());
        assertFalse(err.toString().contains("Exception"), err.toString());
    }

    private static void assertUsage(String message, String... args) {
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class, () -> plan(args));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
