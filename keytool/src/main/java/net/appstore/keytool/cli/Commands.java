package net.appstore.keytool.cli;

import java.lang.reflect.Constructor;
import java.util.List;
import net.appstore.keytool.KeytoolContext;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;

/**
 * The verbs, and the factory that hands each command the run's {@link KeytoolContext}. Public only
 * as the entry point for {@code Keytool}.
 */
public final class Commands {

  private Commands() {}

  /** Top-level verbs, in the order {@code --help} lists them. */
  public static List<Class<?>> verbs() {
    return List.of(
        DbCommand.class,
        InitCommand.class,
        GenerateCommand.class,
        PublishCommand.class,
        ActivateCommand.class,
        RetireCommand.class,
        DestroyCommand.class,
        RotateCommand.class,
        ListCommand.class,
        CheckExpiryCommand.class,
        ExportJwksCommand.class,
        ExportRootCommand.class,
        AuditCommand.class);
  }

  /** Creates commands with a {@code (KeytoolContext)} constructor; anything else by default. */
  public static IFactory factory(KeytoolContext context) {
    IFactory fallback = CommandLine.defaultFactory();
    return new IFactory() {
      @Override
      public <K> K create(Class<K> type) throws Exception {
        if (KeytoolCommand.class.isAssignableFrom(type)) {
          Constructor<K> constructor = type.getDeclaredConstructor(KeytoolContext.class);
          return constructor.newInstance(context);
        }
        return fallback.create(type);
      }
    };
  }
}
