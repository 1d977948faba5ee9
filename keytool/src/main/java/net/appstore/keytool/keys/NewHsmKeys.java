package net.appstore.keytool.keys;

import java.util.ArrayList;
import java.util.List;

/**
 * The HSM keys a locked change created so far, so that they can be removed again if the change does
 * not commit. Confined to the command's thread.
 */
public final class NewHsmKeys {

  private final List<String> labels = new ArrayList<>();

  public void add(String label) {
    labels.add(label);
  }

  List<String> labels() {
    return List.copyOf(labels);
  }

  boolean isEmpty() {
    return labels.isEmpty();
  }
}
