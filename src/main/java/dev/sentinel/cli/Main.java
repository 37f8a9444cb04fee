package dev.sentinel.cli;

/** Entry point: {@code sentinel [OPTIONS] COMMAND...}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs Sentinel with {@code args} and returns its exit status. */
    public static int execute(String... args) {
        if (args.length > 0 && args[0].equals("ctl")) {
            // 'sentinel ctl ...' talks to a running Sentinel, 'sentinel check-config FILE' validates a file;
            // guard a program named ctl or check-config with 'sentinel -- ctl'.
            return CtlCommand.execute(System.out, System.err, java.util.Arrays.copyOfRange(args, 1, args.length));
        }
        if (args.length > 0 && args[0].equals("check-config")) {
            return CheckConfigCommand.execute(System.out, System.err, System.getenv(),
                    java.util.Arrays.copyOfRange(args, 1, args.length));
        }
        if (args.length > 0 && args[0].equals("attach")) {
            // Guard a process Sentinel did not start; guard a program named attach with 'sentinel -- attach'.
            return AttachCommand.execute(java.util.Arrays.copyOfRange(args, 1, args.length));
        }
        return SentinelCommand.execute(args);
    }
}
