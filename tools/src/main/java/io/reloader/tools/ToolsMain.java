package io.reloader.tools;

import io.reloader.cli.Main;
import picocli.CommandLine.Command;

/**
 * {@code java -jar reloader-tools.jar demo|benchmark}: the programs that run the controller against an in-process
 * API server. They live apart from the controller so that its jar and image carry no test or tooling code.
 */
@Command(name = "reloader-tools", mixinStandardHelpOptions = true,
        subcommands = {DemoCommand.class, BenchmarkCommand.class},
        description = "The controller's demo and benchmark, against an in-process API server.")
public final class ToolsMain implements Runnable {

    public static void main(String[] args) {
        System.exit(Main.execute(new ToolsMain(), args));
    }

    @Override
    public void run() {
        System.err.println("Usage: java -jar reloader-tools.jar demo|benchmark [flags]");
    }
}
