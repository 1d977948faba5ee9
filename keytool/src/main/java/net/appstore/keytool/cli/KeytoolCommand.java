package net.appstore.keytool.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import net.appstore.keytool.ExitCode;
import net.appstore.keytool.KeytoolContext;
import net.appstore.keytool.config.KeytoolConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every command shares: the context, {@code --config}, and stdout/stderr of its command line.
 * A command returns its exit code or throws; {@code Keytool} turns exceptions into one line and an
 * exit code. Instances are created per run by picocli.
 */
abstract class KeytoolCommand implements Callable<Integer> {

  protected final KeytoolContext context;

  @Spec CommandSpec spec;

  @Mixin ConfigOption configOption;

  KeytoolCommand(KeytoolContext context) {
    this.context = context;
  }

  @Override
  public final Integer call() throws Exception {
    return run(configOption.load(context));
  }

  abstract int run(KeytoolConfig config) throws Exception;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Says which unregistered HSM keys an {@code OrphanSweep} removed. */
  void reportSwept(List<String> removed) {
    for (String label : removed) {
      out().printf("removed HSM key %s: left by an interrupted run, never registered%n", label);
    }
  }

  static int ok() {
    return ExitCode.OK;
  }
}
