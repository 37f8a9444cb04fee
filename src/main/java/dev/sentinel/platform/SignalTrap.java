package dev.sentinel.platform;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Receives the signals sent to Sentinel itself. The handler runs on a JVM signal thread and
 * must only hand the signal over (to the supervisor loop's queue).
 *
 * <p>SIGQUIT cannot be trapped: HotSpot keeps it for thread dumps, with or without -Xrs.
 * {@code sun.misc.Signal} is reached reflectively because javac's warning about it cannot be
 * suppressed; it is the only way the JDK offers to handle signals.
 */
public final class SignalTrap {

    public static final List<Signal> FORWARDABLE =
            List.of(Signal.INT, Signal.TERM, Signal.HUP, Signal.USR1, Signal.USR2);
    /**
     * Signals whose default action ends a process and that mean nothing to Sentinel: a stray
     * {@code kill -ALRM} or a UPS daemon's SIGPWR would otherwise end Sentinel without a word, and
     * its lifeline every guarded program with it. They are caught and ignored, and said. (The
     * signals of a fault — SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS — are the JVM's.)
     */
    public static final List<Signal> IGNORED =
            List.of(Signal.ALRM, Signal.VTALRM, Signal.PROF, Signal.IO, Signal.PWR, Signal.STKFLT, Signal.XCPU);

    private SignalTrap() {
    }

    private static List<Signal> trapped() {
        List<Signal> all = new ArrayList<>(FORWARDABLE);
        all.addAll(IGNORED);
        return all;
    }

    /**
     * Installs {@code handler} for each trappable signal ({@link #FORWARDABLE} and {@link #IGNORED});
     * returns the ones that were installed.
     */
    public static List<Signal> install(Consumer<Signal> handler) {
        List<Signal> installed = new ArrayList<>();
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            for (Signal s : trapped()) {
                Object jdkSignal = signalClass.getConstructor(String.class).newInstance(s.name());
                Object jdkHandler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass},
                        (proxy, method, args) -> switch (method.getName()) {
                            case "handle" -> {
                                handler.accept(s);
                                yield null;
                            }
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> "sentinel handler for " + s.fullName();
                        });
                try {
                    handle.invoke(null, jdkSignal, jdkHandler);
                    installed.add(s);
                } catch (InvocationTargetException e) {
                    // Taken by the VM or ignored by our parent (nohup): leave it as it is.
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this JVM offers no sun.misc.Signal; Sentinel cannot forward signals", e);
        }
        return installed;
    }
}
