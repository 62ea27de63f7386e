package dev.modelgate.gateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar modelgate.jar <command>}. */
@Command(
        name = "modelgate",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Model monitoring and A/B experimentation gateway.",
        subcommands = {ServeCommand.class, ReportCommand.class, ScoreCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("score")) {
            // before anything logs (building the command line loads every command's logger): `score`
            // keeps stdout for its JSON summary
            System.setProperty("modelgate.log.target", "System.err");
        }
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
