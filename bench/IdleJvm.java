/**
 * The JVM alone, with the flags of Sentinel's launcher: idle (the baseline of the idle figures),
 * or, given {@code exit}, returning at once (the baseline of the start-up figures).
 */
public final class IdleJvm {

    private IdleJvm() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && args[0].equals("exit")) {
            return;
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
