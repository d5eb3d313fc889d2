package io.deskfleet.controlplane.inventory;

import java.util.Map;

/** Told by {@link DesktopStateWriter} after a flush committed desktops' online flags, on the flushing thread. */
public interface PresenceListener {

    /** Desktop id to its committed agent_online; must return quickly and not throw. */
    void onlineCommitted(Map<String, Boolean> online);
}
