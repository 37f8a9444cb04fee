# Runs as PID 1 of a fresh pid namespace (unshare --pid --fork sh in-pod.sh rw|ro SENTINEL-ARGS):
# enters the pod's cgroup alone, then a cgroup and mount namespace whose root is the pod, with
# cgroup2 (read-only for "ro") and /proc mounted again, as a container runtime gives a container,
# and execs Sentinel there: Sentinel is PID 1 and the only process in the pod.
if [ "$1" != --inside ]; then
  echo $$ >/sys/fs/cgroup/pod/cgroup.procs || { echo "in-pod: cannot enter the pod" >&2; exit 90; }
  exec unshare --cgroup --mount /bin/sh "$0" --inside "$@"
fi
shift
mode=$1
shift
opts=nosuid,nodev,noexec
[ "$mode" = ro ] && opts=$opts,ro
# A fresh mount, as the runtime makes it: the new one shows the namespace root (the pod) as /.
umount /sys/fs/cgroup || exit 91
mount -t cgroup2 -o "$opts" cgroup2 /sys/fs/cgroup || exit 91
mount -t proc proc /proc || exit 92
echo "in-pod: pid $$, /proc/self/cgroup $(cat /proc/self/cgroup), /sys/fs/cgroup $(grep ' /sys/fs/cgroup ' /proc/mounts | cut -d' ' -f4)" >&2
exec java -jar "$SENTINEL_REPO/target/sentinel.jar" "$@"
